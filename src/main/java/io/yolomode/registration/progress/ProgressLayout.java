package io.yolomode.registration.progress;

import java.util.List;

/**
 * The shape of a progress document: the phases in order, each with its description and
 * its sub-step keys in order. The pipeline table gives it; the document model knows
 * nothing else of the pipeline.
 */
public record ProgressLayout(List<Phase> phases) {

    public record Phase(String key, String description, List<String> subSteps) {

        public Phase {
            subSteps = List.copyOf(subSteps);
        }
    }

    public ProgressLayout {
        phases = List.copyOf(phases);
    }

    /** Every sub-step key, phase by phase, in pipeline order. */
    public List<String> subSteps() {
        return phases.stream().flatMap(phase -> phase.subSteps().stream()).toList();
    }

    public String phaseOf(String subStep) {
        return phases.stream()
            .filter(phase -> phase.subSteps().contains(subStep))
            .map(Phase::key)
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no sub-step " + subStep));
    }
}
