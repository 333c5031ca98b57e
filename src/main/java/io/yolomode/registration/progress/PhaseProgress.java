package io.yolomode.registration.progress;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One phase of the pipeline in {@code sub_step_progress}; its status is derived from its
 * sub-steps.
 */
public record PhaseProgress(PhaseStatus status, String description,
        @JsonProperty("sub_steps") Map<String, SubStepProgress> subSteps) {
}
