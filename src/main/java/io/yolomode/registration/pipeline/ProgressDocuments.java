package io.yolomode.registration.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.yolomode.registration.job.PhaseProgress;
import io.yolomode.registration.job.ProgressDocument;
import io.yolomode.registration.job.RunContext;
import io.yolomode.registration.job.SubStepProgress;
import io.yolomode.registration.job.SubStepStatus;

/**
 * Builds and changes {@code sub_step_progress} documents. Documents are immutable: every change gives a new one
 * with the phase statuses and {@code current_phase} derived again, so they can never disagree with the sub-steps.
 */
public final class ProgressDocuments {

    private ProgressDocuments() {
    }

    /** Every sub-step pending, in pipeline order. */
    public static ProgressDocument initial() {
        Map<String, Map<String, SubStepProgress>> subSteps = new LinkedHashMap<>();
        Pipeline.PHASES.forEach(phase -> subSteps.put(phase.key(), new LinkedHashMap<>()));
        Pipeline.SUB_STEPS.forEach(definition -> subSteps.get(definition.phase())
                .put(definition.key(), SubStepProgress.pending()));
        return derive(subSteps, RunContext.empty());
    }

    public static SubStepProgress subStep(ProgressDocument document, String key) {
        return document.phases().get(Pipeline.subStep(key).phase()).subSteps().get(key);
    }

    /**
     * The document with the sub-step's new entry, which keeps the generation and idempotency key of the entry
     * it follows unless it sets its own.
     */
    public static ProgressDocument withSubStep(ProgressDocument document, String key, SubStepProgress progress) {
        Map<String, Map<String, SubStepProgress>> subSteps = copy(document);
        Map<String, SubStepProgress> phase = subSteps.get(Pipeline.subStep(key).phase());
        phase.put(key, progress.following(phase.get(key)));
        return derive(subSteps, document.context());
    }

    public static ProgressDocument withContext(ProgressDocument document, RunContext context) {
        return derive(copy(document), context);
    }

    /**
     * The document for running a job again: completed and skipped sub-steps are kept (unless {@code restart}),
     * everything else is pending again. A sub-step that ended failed or cancelled starts a new generation, so its
     * next call sends a new idempotency key (the earlier outcome is known, and a downstream that remembers keys
     * would answer it again); one whose call was under way keeps its key, since that outcome is unknown. A restart
     * starts a new generation of every sub-step and forgets the run context.
     */
    public static ProgressDocument forRerun(ProgressDocument document, boolean restart) {
        if (document == null) {
            return initial();
        }
        if (restart) {
            Map<String, Map<String, SubStepProgress>> subSteps = copy(document);
            subSteps.values().forEach(phase -> phase.replaceAll(
                    (key, progress) -> SubStepProgress.pending(progress.generationOrFirst() + 1)));
            return derive(subSteps, RunContext.empty());
        }
        return mapSubSteps(document, progress -> {
            if (progress.status().isDone()) {
                return progress;
            }
            boolean ended = progress.status() == SubStepStatus.FAILED
                    || progress.status() == SubStepStatus.CANCELLED;
            return ended ? SubStepProgress.pending(progress.generationOrFirst() + 1)
                    : SubStepProgress.pending(progress.generationOrFirst())
                            .withIdempotencyKey(progress.idempotencyKey());
        });
    }

    /** Every sub-step that is neither done nor failed becomes cancelled. */
    public static ProgressDocument cancelled(ProgressDocument document, long now) {
        return mapSubSteps(document, progress -> progress.status().isDone()
                || progress.status() == SubStepStatus.FAILED ? progress
                        : new SubStepProgress(SubStepStatus.CANCELLED, progress.startedAt(), now,
                                null, progress.attempts() != null ? progress.attempts() : progress.attempt(),
                                progress.previousError(), null, "cancelled", null, null).following(progress));
    }

    /** The sub-steps in pipeline order with their progress. */
    public static Map<String, SubStepProgress> all(ProgressDocument document) {
        Map<String, SubStepProgress> all = new LinkedHashMap<>();
        Pipeline.SUB_STEPS.forEach(definition -> all.put(definition.key(), subStep(document, definition.key())));
        return all;
    }

    private static ProgressDocument mapSubSteps(ProgressDocument document, UnaryOperator<SubStepProgress> change) {
        Map<String, Map<String, SubStepProgress>> subSteps = copy(document);
        subSteps.values().forEach(phase -> phase.replaceAll((key, progress) -> change.apply(progress)));
        return derive(subSteps, document.context());
    }

    /** The sub-steps, phase by phase, in pipeline order (JSONB does not keep key order). */
    private static Map<String, Map<String, SubStepProgress>> copy(ProgressDocument document) {
        Map<String, Map<String, SubStepProgress>> subSteps = new LinkedHashMap<>();
        for (Pipeline.PhaseDefinition phase : Pipeline.PHASES) {
            Map<String, SubStepProgress> stored = document.phases().get(phase.key()).subSteps();
            Map<String, SubStepProgress> ordered = new LinkedHashMap<>();
            Pipeline.subStepsOf(phase.key()).forEach(definition -> ordered.put(definition.key(),
                    stored.getOrDefault(definition.key(), SubStepProgress.pending())));
            subSteps.put(phase.key(), ordered);
        }
        return subSteps;
    }

    private static ProgressDocument derive(Map<String, Map<String, SubStepProgress>> subSteps, RunContext context) {
        Map<String, PhaseProgress> phases = new LinkedHashMap<>();
        String currentPhase = null;
        for (Pipeline.PhaseDefinition phase : Pipeline.PHASES) {
            Map<String, SubStepProgress> phaseSubSteps = subSteps.get(phase.key());
            String status = phaseStatus(List.copyOf(phaseSubSteps.values()));
            phases.put(phase.key(), new PhaseProgress(status, phase.description(), phaseSubSteps));
            if (currentPhase == null && !"completed".equals(status)) {
                currentPhase = phase.key();
            }
        }
        if (currentPhase == null) {
            currentPhase = Pipeline.PHASES.get(Pipeline.PHASES.size() - 1).key();
        }
        return new ProgressDocument(currentPhase, phases, context);
    }

    /**
     * All completed or skipped: completed; anything running: in_progress; nothing running and a failure, or a
     * sub-step blocked by a failure: failed; a cancellation and nothing running: cancelled; all pending: pending;
     * otherwise under way: in_progress.
     */
    static String phaseStatus(List<SubStepProgress> subSteps) {
        List<SubStepStatus> statuses = subSteps.stream().map(SubStepProgress::status).toList();
        if (statuses.stream().allMatch(SubStepStatus::isDone)) {
            return "completed";
        }
        if (statuses.stream().anyMatch(SubStepStatus::isRunning)) {
            return "in_progress";
        }
        if (statuses.contains(SubStepStatus.FAILED)
                || subSteps.stream().anyMatch(progress -> progress.blockedBy() != null)) {
            return "failed";
        }
        if (statuses.contains(SubStepStatus.CANCELLED)) {
            return "cancelled";
        }
        if (statuses.stream().allMatch(status -> status == SubStepStatus.PENDING)) {
            return "pending";
        }
        return "in_progress";
    }
}
