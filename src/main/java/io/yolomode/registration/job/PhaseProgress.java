package io.yolomode.registration.job;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One phase of the pipeline in {@code sub_step_progress}; its status is derived from its sub-steps.
 */
public record PhaseProgress(
        String status,
        String description,
        @JsonProperty("sub_steps") Map<String, SubStepProgress> subSteps) {
}
