package io.yolomode.registration.progress;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code sub_step_progress} document of a job's step-6 row, as DESIGN.md section 4
 * shapes it; the progress endpoint returns its phases unchanged.
 */
public record ProgressDocument(@JsonProperty("current_phase") String currentPhase, Map<String, PhaseProgress> phases,
        RunContext context) {
}
