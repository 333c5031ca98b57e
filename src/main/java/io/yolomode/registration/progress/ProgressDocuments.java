package io.yolomode.registration.progress;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Builds and changes {@code sub_step_progress} documents. Documents are immutable: every
 * change gives a new one with the phase statuses and {@code current_phase} derived again,
 * so they can never disagree with the sub-steps.
 */
public final class ProgressDocuments {

    private final ProgressLayout layout;

    private final Map<String, String> phaseOfSubStep = new LinkedHashMap<>();

    public ProgressDocuments(ProgressLayout layout) {
        this.layout = layout;
        layout.phases().forEach(phase -> phase.subSteps().forEach(key -> phaseOfSubStep.put(key, phase.key())));
    }

    public ProgressLayout layout() {
        return layout;
    }

    /** Every sub-step pending, in pipeline order. */
    public ProgressDocument initial() {
        Map<String, Map<String, SubStepProgress>> subSteps = new LinkedHashMap<>();
        layout.phases().forEach(phase -> {
            Map<String, SubStepProgress> pending = new LinkedHashMap<>();
            phase.subSteps().forEach(key -> pending.put(key, SubStepProgress.pending()));
            subSteps.put(phase.key(), pending);
        });
        return derive(subSteps, RunContext.empty());
    }

    /**
     * The sub-step's entry; pending when a stored document has none (written before the
     * sub-step existed).
     */
    public SubStepProgress subStep(ProgressDocument document, String key) {
        PhaseProgress phase = document.phases().get(phaseOf(key));
        SubStepProgress progress = phase == null ? null : phase.subSteps().get(key);
        return progress == null ? SubStepProgress.pending() : progress;
    }

    /** The key of the sub-step's phase. */
    public String phaseOf(String key) {
        String phase = phaseOfSubStep.get(key);
        if (phase == null) {
            throw new IllegalArgumentException("no sub-step " + key);
        }
        return phase;
    }

    /**
     * The document with the sub-step's new entry, which keeps the generation and
     * idempotency key of the entry it follows unless it sets its own.
     */
    public ProgressDocument withSubStep(ProgressDocument document, String key, SubStepProgress progress) {
        Map<String, Map<String, SubStepProgress>> subSteps = copy(document);
        Map<String, SubStepProgress> phase = subSteps.get(phaseOf(key));
        phase.put(key, progress.following(phase.get(key)));
        return derive(subSteps, document.context());
    }

    public ProgressDocument withContext(ProgressDocument document, RunContext context) {
        return derive(copy(document), context);
    }

    /**
     * The document for running a job again: completed and skipped sub-steps are kept
     * (unless {@code restart}), everything else is pending again. A sub-step that ended
     * failed or cancelled starts a new generation, so its next call sends a new
     * idempotency key (the earlier outcome is known, and a downstream that remembers keys
     * would answer it again); one whose call was under way keeps its key, since that
     * outcome is unknown. A restart starts a new generation of every sub-step and forgets
     * the run context.
     */
    public ProgressDocument forRerun(@Nullable ProgressDocument document, boolean restart) {
        if (document == null) {
            return initial();
        }
        if (restart) {
            Map<String, Map<String, SubStepProgress>> subSteps = copy(document);
            subSteps.values()
                .forEach(phase -> phase
                    .replaceAll((key, progress) -> SubStepProgress.pending(progress.generationOrFirst() + 1)));
            return derive(subSteps, RunContext.empty());
        }
        return mapSubSteps(document, progress -> {
            if (progress.status().isDone()) {
                return progress;
            }
            boolean ended = progress.status() == SubStepStatus.FAILED || progress.status() == SubStepStatus.CANCELLED;
            return ended ? SubStepProgress.pending(progress.generationOrFirst() + 1)
                    : SubStepProgress.pending(progress.generationOrFirst())
                        .withIdempotencyKey(progress.idempotencyKey());
        });
    }

    /** Every sub-step that is neither done nor failed becomes cancelled. */
    public ProgressDocument cancelled(ProgressDocument document, long now) {
        return mapSubSteps(document, progress -> progress.status().isDone() || progress.status() == SubStepStatus.FAILED
                ? progress : progress.cancelled(now));
    }

    /** The sub-steps in pipeline order with their progress. */
    public Map<String, SubStepProgress> all(ProgressDocument document) {
        Map<String, SubStepProgress> all = new LinkedHashMap<>();
        layout.subSteps().forEach(key -> all.put(key, subStep(document, key)));
        return all;
    }

    private ProgressDocument mapSubSteps(ProgressDocument document, UnaryOperator<SubStepProgress> change) {
        Map<String, Map<String, SubStepProgress>> subSteps = copy(document);
        subSteps.values().forEach(phase -> phase.replaceAll((key, progress) -> change.apply(progress)));
        return derive(subSteps, document.context());
    }

    /**
     * The sub-steps, phase by phase, in pipeline order (JSONB does not keep key order).
     */
    private Map<String, Map<String, SubStepProgress>> copy(ProgressDocument document) {
        Map<String, Map<String, SubStepProgress>> subSteps = new LinkedHashMap<>();
        for (ProgressLayout.Phase phase : layout.phases()) {
            PhaseProgress storedPhase = document.phases().get(phase.key());
            Map<String, SubStepProgress> stored = storedPhase == null ? Map.of() : storedPhase.subSteps();
            Map<String, SubStepProgress> ordered = new LinkedHashMap<>();
            phase.subSteps().forEach(key -> ordered.put(key, stored.getOrDefault(key, SubStepProgress.pending())));
            subSteps.put(phase.key(), ordered);
        }
        return subSteps;
    }

    private ProgressDocument derive(Map<String, Map<String, SubStepProgress>> subSteps, RunContext context) {
        Map<String, PhaseProgress> phases = new LinkedHashMap<>();
        String currentPhase = null;
        for (ProgressLayout.Phase phase : layout.phases()) {
            Map<String, SubStepProgress> phaseSubSteps = subSteps.get(phase.key());
            PhaseStatus status = PhaseStatus.of(List.copyOf(phaseSubSteps.values()));
            phases.put(phase.key(), new PhaseProgress(status, phase.description(), phaseSubSteps));
            if (currentPhase == null && status != PhaseStatus.COMPLETED) {
                currentPhase = phase.key();
            }
        }
        if (currentPhase == null) {
            currentPhase = layout.phases().get(layout.phases().size() - 1).key();
        }
        return new ProgressDocument(currentPhase, phases, context);
    }

}
