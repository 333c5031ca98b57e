package io.yolomode.registration.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.yolomode.registration.pipeline.Pipeline;
import io.yolomode.registration.pipeline.ProgressDocuments;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How progress is derived (docs/design.md section 4 and "Pipeline"): a phase's status from its sub-steps,
 * {@code current_phase} as the first phase not completed, what a rerun keeps and which generation (and so which
 * idempotency key) each sub-step runs in, what a cancel leaves, and the statuses' own rules.
 */
class PhaseProgressRulesTest {

    private static final long NOW = 1_732_800_000_000L;

    // ---- phase status -------------------------------------------------------------------------------------------

    @Test
    void aNewDocumentHasEverySubStepPendingInPipelineOrder() {
        ProgressDocument document = ProgressDocuments.initial();

        assertThat(document.currentPhase()).isEqualTo("phase1");
        assertThat(document.context()).isEqualTo(RunContext.empty());
        assertThat(document.phases().keySet()).containsExactly("phase1", "phase2", "phase3", "phase4");
        assertThat(document.phases().values()).extracting(PhaseProgress::status).containsOnly("pending");
        assertThat(document.phases().get("phase2").description())
                .isEqualTo("Restaurant registration and configuration");
        assertThat(document.phases().get("phase1").subSteps().keySet())
                .containsExactly("cloudwaitressAccount", "codeGeneration", "createOnboardingUser", "uploadImages");
        assertThat(ProgressDocuments.all(document).keySet()).containsExactlyElementsOf(
                Pipeline.SUB_STEPS.stream().map(definition -> definition.key()).toList());
        assertThat(ProgressDocuments.all(document).values()).containsOnly(SubStepProgress.pending());
    }

    @Test
    void aPhaseWhoseSubStepsAllCompletedOrWereSkippedIsCompleted() {
        ProgressDocument document = with(ProgressDocuments.initial(), Map.of(
                "cloudwaitressAccount", completed(), "codeGeneration", completed(),
                "createOnboardingUser", skipped(), "uploadImages", skipped()));

        assertThat(status(document, "phase1")).isEqualTo("completed");
        assertThat(document.currentPhase()).isEqualTo("phase2");
    }

    @Test
    void aPhaseWithASubStepRunningIsInProgressEvenBesideAFailure() {
        assertThat(status(with(ProgressDocuments.initial(), Map.of("codeGeneration", running(SubStepStatus.IN_PROGRESS),
                "cloudwaitressAccount", failed())), "phase1")).isEqualTo("in_progress");
        assertThat(status(with(ProgressDocuments.initial(), Map.of("codeGeneration", running(SubStepStatus.RETRYING),
                "cloudwaitressAccount", completed())), "phase1")).isEqualTo("in_progress");
    }

    @Test
    void aPhaseWithAFailureAndNothingRunningIsFailed() {
        assertThat(status(with(ProgressDocuments.initial(), Map.of("cloudwaitressAccount", failed(),
                "codeGeneration", completed())), "phase1")).isEqualTo("failed");
        assertThat(status(with(ProgressDocuments.initial(), Map.of("cloudwaitressAccount", failed(),
                "codeGeneration", cancelled())), "phase1")).isEqualTo("failed");
    }

    @Test
    void aPhaseWithASubStepBlockedByAFailureAndNothingRunningIsFailed() {
        ProgressDocument document = with(ProgressDocuments.initial(), Map.of(
                "restaurantRegistration", completed(), "websiteConfig", blockedBy("codeGeneration"),
                "servicesConfig", completed(), "paymentConfig", completed(), "menuImport", skipped(),
                "syncOnboardingUser", skipped()));

        assertThat(status(document, "phase2")).isEqualTo("failed");
    }

    @Test
    void aPhaseWithACancellationAndNothingRunningIsCancelled() {
        assertThat(status(with(ProgressDocuments.initial(), Map.of("cloudwaitressAccount", cancelled(),
                "codeGeneration", completed())), "phase1")).isEqualTo("cancelled");
    }

    @Test
    void aPhaseStartedButNotRunningNowIsInProgress() {
        assertThat(status(with(ProgressDocuments.initial(), Map.of("cloudwaitressAccount", completed())), "phase1"))
                .isEqualTo("in_progress");
    }

    @Test
    void theCurrentPhaseIsTheFirstThatIsNotCompletedAndTheLastWhenAllAre() {
        Map<String, SubStepProgress> allDone = new LinkedHashMap<>();
        Pipeline.SUB_STEPS.forEach(definition -> allDone.put(definition.key(), completed()));
        ProgressDocument done = with(ProgressDocuments.initial(), allDone);
        assertThat(done.currentPhase()).isEqualTo("phase4");
        assertThat(done.phases().values()).extracting(PhaseProgress::status).containsOnly("completed");

        ProgressDocument thirdOpen = ProgressDocuments.withSubStep(done, "optionSets", failed());
        assertThat(thirdOpen.currentPhase()).isEqualTo("phase3");
        assertThat(status(thirdOpen, "phase4")).isEqualTo("completed");

        ProgressDocument firstOpen = ProgressDocuments.withSubStep(thirdOpen, "uploadImages",
                running(SubStepStatus.IN_PROGRESS));
        assertThat(firstOpen.currentPhase()).isEqualTo("phase1");
    }

    @Test
    void aChangeKeepsTheOtherSubStepsAndTheContext() {
        RunContext context = new RunContext("ci-1", 5L, List.of("a"), true, null);
        ProgressDocument document = ProgressDocuments.withContext(
                ProgressDocuments.withSubStep(ProgressDocuments.initial(), "codeGeneration", completed()), context);

        ProgressDocument next = ProgressDocuments.withSubStep(document, "uploadImages", skipped());

        assertThat(next.context()).isSameAs(context);
        assertThat(ProgressDocuments.subStep(next, "codeGeneration")).isEqualTo(completed());
        assertThat(ProgressDocuments.subStep(next, "uploadImages")).isEqualTo(skipped());
        assertThat(ProgressDocuments.subStep(document, "uploadImages")).isEqualTo(SubStepProgress.pending());
    }

    @Test
    void aStoredDocumentIsReadInPipelineOrderWithMissingSubStepsPending() {
        Map<String, PhaseProgress> phases = new LinkedHashMap<>(ProgressDocuments.initial().phases());
        Map<String, SubStepProgress> reordered = new LinkedHashMap<>();
        reordered.put("uploadImages", skipped());
        reordered.put("codeGeneration", completed());
        phases.put("phase1", new PhaseProgress("whatever", "old", reordered));
        ProgressDocument stored = new ProgressDocument("phase3", phases, RunContext.empty());

        ProgressDocument read = ProgressDocuments.withContext(stored, RunContext.empty());

        assertThat(read.phases().get("phase1").subSteps()).containsExactly(
                Map.entry("cloudwaitressAccount", SubStepProgress.pending()),
                Map.entry("codeGeneration", completed()),
                Map.entry("createOnboardingUser", SubStepProgress.pending()),
                Map.entry("uploadImages", skipped()));
        assertThat(read.phases().get("phase1").status()).isEqualTo("in_progress");
        assertThat(read.phases().get("phase1").description()).isEqualTo("Initial parallel operations");
        assertThat(read.currentPhase()).isEqualTo("phase1");
    }

    // ---- generations and keys -----------------------------------------------------------------------------------

    @Test
    void aTransitionKeepsTheGenerationAndKeyOfTheEntryItFollows() {
        ProgressDocument started = ProgressDocuments.withSubStep(ProgressDocuments.initial(), "servicesConfig",
                new SubStepProgress(SubStepStatus.IN_PROGRESS, NOW, null, 1, null, null, null, null, null, null, 2,
                        "job:servicesConfig:2"));

        ProgressDocument retrying = ProgressDocuments.withSubStep(started, "servicesConfig",
                new SubStepProgress(SubStepStatus.RETRYING, NOW, null, 2, null, "HTTP 503", null, null, null, null));

        SubStepProgress entry = ProgressDocuments.subStep(retrying, "servicesConfig");
        assertThat(entry.generation()).isEqualTo(2);
        assertThat(entry.idempotencyKey()).isEqualTo("job:servicesConfig:2");
        assertThat(entry.previousError()).isEqualTo("HTTP 503");
    }

    @Test
    void anEntryOfANewGenerationDropsTheOldKey() {
        SubStepProgress earlier = new SubStepProgress(SubStepStatus.FAILED, NOW, NOW, null, 3, null, "boom", null,
                null, null, 2, "job:k:2");

        SubStepProgress next = SubStepProgress.pending(3).following(earlier);

        assertThat(next.generation()).isEqualTo(3);
        assertThat(next.idempotencyKey()).isNull();
    }

    @Test
    void anEntryWithItsOwnGenerationAndKeyStandsAsItIs() {
        SubStepProgress earlier = new SubStepProgress(SubStepStatus.FAILED, NOW, NOW, null, 3, null, "boom", null,
                null, null, 2, "job:k:2");
        SubStepProgress own = SubStepProgress.pending(4).withIdempotencyKey("job:k:4");

        assertThat(own.following(earlier)).isSameAs(own);
        assertThat(own.following(null)).isSameAs(own);
        SubStepProgress withKeyOnly = SubStepProgress.pending().withIdempotencyKey("job:k:9");
        assertThat(withKeyOnly.following(earlier).generation()).isEqualTo(2);
        assertThat(withKeyOnly.following(earlier).idempotencyKey()).isEqualTo("job:k:9");
    }

    @Test
    void theFirstGenerationIsWrittenAsNoGeneration() {
        assertThat(SubStepProgress.pending(1).generation()).isNull();
        assertThat(SubStepProgress.pending(0).generation()).isNull();
        assertThat(SubStepProgress.pending(2).generation()).isEqualTo(2);
        assertThat(SubStepProgress.pending().generationOrFirst()).isEqualTo(1);
        assertThat(SubStepProgress.pending(5).generationOrFirst()).isEqualTo(5);
    }

    // ---- reruns -------------------------------------------------------------------------------------------------

    @Test
    void aRerunKeepsCompletedAndSkippedSubStepsAndRunsTheRestAgain() {
        SubStepProgress done = completed();
        SubStepProgress notWanted = skipped();
        ProgressDocument before = with(ProgressDocuments.initial(), Map.of(
                "cloudwaitressAccount", done,
                "codeGeneration", notWanted,
                "createOnboardingUser", new SubStepProgress(SubStepStatus.FAILED, NOW, NOW, null, 3, null, "HTTP 500",
                        null, null, null, 2, "job:createOnboardingUser:2"),
                "uploadImages", new SubStepProgress(SubStepStatus.CANCELLED, NOW, NOW, null, 1, null, null,
                        "cancelled", null, null, null, "job:uploadImages"),
                "restaurantRegistration", new SubStepProgress(SubStepStatus.IN_PROGRESS, NOW, null, 2, null, "HTTP 503",
                        null, null, null, null, 3, "job:restaurantRegistration:3"),
                "websiteConfig", blockedBy("restaurantRegistration")));
        ProgressDocument withContext = ProgressDocuments.withContext(before, new RunContext("ci-1", null, null, null,
                null));

        ProgressDocument rerun = ProgressDocuments.forRerun(withContext, false);

        assertThat(ProgressDocuments.subStep(rerun, "cloudwaitressAccount")).isEqualTo(done);
        assertThat(ProgressDocuments.subStep(rerun, "codeGeneration")).isEqualTo(notWanted);
        // ended failed or cancelled: the outcome is known, so a new generation with a new key
        assertThat(ProgressDocuments.subStep(rerun, "createOnboardingUser")).isEqualTo(SubStepProgress.pending(3));
        assertThat(ProgressDocuments.subStep(rerun, "uploadImages")).isEqualTo(SubStepProgress.pending(2));
        // under way when the run died: the outcome is unknown, so the same generation and key
        assertThat(ProgressDocuments.subStep(rerun, "restaurantRegistration"))
                .isEqualTo(SubStepProgress.pending(3).withIdempotencyKey("job:restaurantRegistration:3"));
        // only blocked: pending again, unblocked, same generation
        assertThat(ProgressDocuments.subStep(rerun, "websiteConfig")).isEqualTo(SubStepProgress.pending());
        assertThat(rerun.context()).isEqualTo(new RunContext("ci-1", null, null, null, null));
        assertThat(rerun.currentPhase()).isEqualTo("phase1");
        assertThat(status(rerun, "phase2")).isEqualTo("pending");
    }

    @Test
    void aRestartRunsEverySubStepInANewGenerationWithAnEmptyContext() {
        ProgressDocument before = ProgressDocuments.withContext(with(ProgressDocuments.initial(), Map.of(
                "cloudwaitressAccount", completed(),
                "codeGeneration", new SubStepProgress(SubStepStatus.COMPLETED, NOW, NOW, null, 1, null, null, null,
                        null, null, 2, "job:codeGeneration:2"))), new RunContext("ci-1", 5L, null, true, true));

        ProgressDocument restarted = ProgressDocuments.forRerun(before, true);

        assertThat(ProgressDocuments.subStep(restarted, "cloudwaitressAccount")).isEqualTo(SubStepProgress.pending(2));
        assertThat(ProgressDocuments.subStep(restarted, "codeGeneration")).isEqualTo(SubStepProgress.pending(3));
        assertThat(ProgressDocuments.subStep(restarted, "itemTags")).isEqualTo(SubStepProgress.pending(2));
        assertThat(restarted.context()).isEqualTo(RunContext.empty());
        assertThat(restarted.currentPhase()).isEqualTo("phase1");
        assertThat(restarted.phases().values()).extracting(PhaseProgress::status).containsOnly("pending");
    }

    @Test
    void aRerunOfAJobThatNeverRanStartsFromANewDocument() {
        assertThat(ProgressDocuments.forRerun(null, false)).isEqualTo(ProgressDocuments.initial());
        assertThat(ProgressDocuments.forRerun(null, true)).isEqualTo(ProgressDocuments.initial());
    }

    // ---- cancel -------------------------------------------------------------------------------------------------

    @Test
    void aCancelEndsWhatHadNotEndedAndKeepsWhatHad() {
        SubStepProgress failure = failed();
        ProgressDocument before = with(ProgressDocuments.initial(), Map.of(
                "cloudwaitressAccount", completed(),
                "codeGeneration", skipped(),
                "createOnboardingUser", failure,
                "uploadImages", new SubStepProgress(SubStepStatus.RETRYING, NOW - 500, null, 2, null, "HTTP 503", null,
                        null, null, null, 2, "job:uploadImages:2"),
                "restaurantRegistration", new SubStepProgress(SubStepStatus.PENDING, null, null, null, 4, null, null,
                        null, null, null)));

        ProgressDocument cancelled = ProgressDocuments.cancelled(before, NOW);

        assertThat(ProgressDocuments.subStep(cancelled, "cloudwaitressAccount")).isEqualTo(completed());
        assertThat(ProgressDocuments.subStep(cancelled, "codeGeneration")).isEqualTo(skipped());
        assertThat(ProgressDocuments.subStep(cancelled, "createOnboardingUser")).isEqualTo(failure);
        assertThat(ProgressDocuments.subStep(cancelled, "uploadImages")).isEqualTo(new SubStepProgress(
                SubStepStatus.CANCELLED, NOW - 500, NOW, null, 2, "HTTP 503", null, "cancelled", null, null, 2,
                "job:uploadImages:2"));
        assertThat(ProgressDocuments.subStep(cancelled, "restaurantRegistration").attempts()).isEqualTo(4);
        assertThat(ProgressDocuments.subStep(cancelled, "itemTags")).isEqualTo(new SubStepProgress(
                SubStepStatus.CANCELLED, null, NOW, null, null, null, null, "cancelled", null, null));
        assertThat(status(cancelled, "phase1")).isEqualTo("failed");
        assertThat(status(cancelled, "phase2")).isEqualTo("cancelled");
    }

    // ---- statuses -----------------------------------------------------------------------------------------------

    @Test
    void completedAndSkippedAreDoneAndInProgressAndRetryingAreRunning() {
        List<SubStepStatus> done = new ArrayList<>();
        List<SubStepStatus> running = new ArrayList<>();
        for (SubStepStatus status : SubStepStatus.values()) {
            if (status.isDone()) {
                done.add(status);
            }
            if (status.isRunning()) {
                running.add(status);
            }
        }

        assertThat(done).containsExactly(SubStepStatus.COMPLETED, SubStepStatus.SKIPPED);
        assertThat(running).containsExactly(SubStepStatus.IN_PROGRESS, SubStepStatus.RETRYING);
    }

    @Test
    void statusesAreReadAndWrittenInLowerCase() {
        assertThat(SubStepStatus.of("retrying")).isEqualTo(SubStepStatus.RETRYING);
        assertThat(SubStepStatus.IN_PROGRESS.value()).isEqualTo("in_progress");
        assertThatThrownBy(() -> SubStepStatus.of("RETRYING")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown sub-step status RETRYING");
        assertThat(JobStatus.of("in_progress")).isEqualTo(JobStatus.IN_PROGRESS);
        assertThat(JobStatus.CANCELLED.value()).isEqualTo("cancelled");
        assertThatThrownBy(() -> JobStatus.of("done")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown job status done");

        JobStatus.JpaConverter converter = new JobStatus.JpaConverter();
        assertThat(converter.convertToDatabaseColumn(JobStatus.FAILED)).isEqualTo("failed");
        assertThat(converter.convertToDatabaseColumn(null)).isNull();
        assertThat(converter.convertToEntityAttribute("completed")).isEqualTo(JobStatus.COMPLETED);
        assertThat(converter.convertToEntityAttribute(null)).isNull();
    }

    @Test
    void onlyPendingAndInProgressJobsAreActive() {
        assertThat(JobStatus.ACTIVE).containsExactlyInAnyOrder(JobStatus.PENDING, JobStatus.IN_PROGRESS);
        for (JobStatus status : JobStatus.values()) {
            boolean active = status == JobStatus.PENDING || status == JobStatus.IN_PROGRESS;
            assertThat(status.isActive()).as(status.value()).isEqualTo(active);
            assertThat(status.isTerminal()).as(status.value()).isEqualTo(!active);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static ProgressDocument with(ProgressDocument document, Map<String, SubStepProgress> changes) {
        ProgressDocument changed = document;
        for (Map.Entry<String, SubStepProgress> change : changes.entrySet()) {
            changed = ProgressDocuments.withSubStep(changed, change.getKey(), change.getValue());
        }
        return changed;
    }

    private static String status(ProgressDocument document, String phase) {
        return document.phases().get(phase).status();
    }

    private static SubStepProgress completed() {
        return new SubStepProgress(SubStepStatus.COMPLETED, NOW - 1_000, NOW, null, 1, null, null, null, null,
                Map.of("success", true));
    }

    private static SubStepProgress skipped() {
        return new SubStepProgress(SubStepStatus.SKIPPED, null, NOW, null, null, null, null, "not asked for", null,
                null);
    }

    private static SubStepProgress failed() {
        return new SubStepProgress(SubStepStatus.FAILED, NOW - 1_000, NOW, null, 3, null, "HTTP 500: boom", null,
                null, null);
    }

    private static SubStepProgress cancelled() {
        return new SubStepProgress(SubStepStatus.CANCELLED, NOW - 1_000, NOW, null, 1, null, null, "cancelled", null,
                null);
    }

    private static SubStepProgress running(SubStepStatus status) {
        return new SubStepProgress(status, NOW - 1_000, null, 1, null, null, null, null, null, null);
    }

    private static SubStepProgress blockedBy(String key) {
        return new SubStepProgress(SubStepStatus.PENDING, null, null, null, null, null, null, null, List.of(key),
                null);
    }
}
