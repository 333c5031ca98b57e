package io.yolomode.registration.progress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.yolomode.registration.testsupport.StandardPipeline;
import org.junit.jupiter.api.Test;

import static io.yolomode.registration.testsupport.StandardPipeline.DOCUMENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How progress is derived (docs/design.md section 4 and "Pipeline"): a phase's status
 * from its sub-steps, {@code current_phase} as the first phase not completed, what a
 * rerun keeps and which generation (and so which idempotency key) each sub-step runs in,
 * what a cancel leaves, and the statuses' own rules.
 */
class PhaseProgressRulesTest {

    private static final long NOW = 1_732_800_000_000L;

    // ---- phase status
    // -------------------------------------------------------------------------------------------

    @Test
    void aNewDocumentHasEverySubStepPendingInPipelineOrder() {
        ProgressDocument document = DOCUMENTS.initial();

        assertThat(document.currentPhase()).isEqualTo("phase1");
        assertThat(document.context()).isEqualTo(RunContext.empty());
        assertThat(document.phases().keySet()).containsExactly("phase1", "phase2", "phase3", "phase4");
        assertThat(document.phases().values()).extracting(PhaseProgress::status).containsOnly(PhaseStatus.PENDING);
        assertThat(document.phases().get("phase2").description())
            .isEqualTo("Restaurant registration and configuration");
        assertThat(document.phases().get("phase1").subSteps().keySet()).containsExactly("cloudwaitressAccount",
                "codeGeneration", "createOnboardingUser", "uploadImages");
        assertThat(DOCUMENTS.all(document).keySet()).containsExactlyElementsOf(
                StandardPipeline.PIPELINE.subSteps().stream().map(definition -> definition.key()).toList());
        assertThat(DOCUMENTS.all(document).values()).containsOnly(SubStepProgress.pending());
    }

    @Test
    void aPhaseWhoseSubStepsAllCompletedOrWereSkippedIsCompleted() {
        ProgressDocument document = with(DOCUMENTS.initial(), Map.of("cloudwaitressAccount", completed(),
                "codeGeneration", completed(), "createOnboardingUser", skipped(), "uploadImages", skipped()));

        assertThat(status(document, "phase1")).isEqualTo("completed");
        assertThat(document.currentPhase()).isEqualTo("phase2");
    }

    @Test
    void aPhaseWithASubStepRunningIsInProgressEvenBesideAFailure() {
        assertThat(status(
                with(DOCUMENTS.initial(),
                        Map.of("codeGeneration", running(SubStepStatus.IN_PROGRESS), "cloudwaitressAccount", failed())),
                "phase1"))
            .isEqualTo("in_progress");
        assertThat(status(
                with(DOCUMENTS.initial(),
                        Map.of("codeGeneration", running(SubStepStatus.RETRYING), "cloudwaitressAccount", completed())),
                "phase1"))
            .isEqualTo("in_progress");
    }

    @Test
    void aPhaseWithAFailureAndNothingRunningIsFailed() {
        assertThat(status(
                with(DOCUMENTS.initial(), Map.of("cloudwaitressAccount", failed(), "codeGeneration", completed())),
                "phase1"))
            .isEqualTo("failed");
        assertThat(status(
                with(DOCUMENTS.initial(), Map.of("cloudwaitressAccount", failed(), "codeGeneration", cancelled())),
                "phase1"))
            .isEqualTo("failed");
    }

    @Test
    void aPhaseWithASubStepBlockedByAFailureAndNothingRunningIsFailed() {
        ProgressDocument document = with(DOCUMENTS.initial(),
                Map.of("restaurantRegistration", completed(), "websiteConfig", blockedBy("codeGeneration"),
                        "servicesConfig", completed(), "paymentConfig", completed(), "menuImport", skipped(),
                        "syncOnboardingUser", skipped()));

        assertThat(status(document, "phase2")).isEqualTo("failed");
    }

    @Test
    void aPhaseWithACancellationAndNothingRunningIsCancelled() {
        assertThat(status(
                with(DOCUMENTS.initial(), Map.of("cloudwaitressAccount", cancelled(), "codeGeneration", completed())),
                "phase1"))
            .isEqualTo("cancelled");
    }

    @Test
    void aPhaseStartedButNotRunningNowIsInProgress() {
        assertThat(status(with(DOCUMENTS.initial(), Map.of("cloudwaitressAccount", completed())), "phase1"))
            .isEqualTo("in_progress");
    }

    @Test
    void theCurrentPhaseIsTheFirstThatIsNotCompletedAndTheLastWhenAllAre() {
        Map<String, SubStepProgress> allDone = new LinkedHashMap<>();
        StandardPipeline.PIPELINE.subSteps().forEach(definition -> allDone.put(definition.key(), completed()));
        ProgressDocument done = with(DOCUMENTS.initial(), allDone);
        assertThat(done.currentPhase()).isEqualTo("phase4");
        assertThat(done.phases().values()).extracting(PhaseProgress::status).containsOnly(PhaseStatus.COMPLETED);

        ProgressDocument thirdOpen = DOCUMENTS.withSubStep(done, "optionSets", failed());
        assertThat(thirdOpen.currentPhase()).isEqualTo("phase3");
        assertThat(status(thirdOpen, "phase4")).isEqualTo("completed");

        ProgressDocument firstOpen = DOCUMENTS.withSubStep(thirdOpen, "uploadImages",
                running(SubStepStatus.IN_PROGRESS));
        assertThat(firstOpen.currentPhase()).isEqualTo("phase1");
    }

    @Test
    void aChangeKeepsTheOtherSubStepsAndTheContext() {
        RunContext context = RunContext.empty()
            .with("codeInjectionId", "ci-1")
            .with("generatedAt", 5L)
            .with("filePaths", List.of("a"))
            .with("onboardingUserCreated", true);
        ProgressDocument document = DOCUMENTS
            .withContext(DOCUMENTS.withSubStep(DOCUMENTS.initial(), "codeGeneration", completed()), context);

        ProgressDocument next = DOCUMENTS.withSubStep(document, "uploadImages", skipped());

        assertThat(next.context()).isSameAs(context);
        assertThat(DOCUMENTS.subStep(next, "codeGeneration")).isEqualTo(completed());
        assertThat(DOCUMENTS.subStep(next, "uploadImages")).isEqualTo(skipped());
        assertThat(DOCUMENTS.subStep(document, "uploadImages")).isEqualTo(SubStepProgress.pending());
    }

    @Test
    void aStoredDocumentIsReadInPipelineOrderWithMissingSubStepsPending() {
        Map<String, PhaseProgress> phases = new LinkedHashMap<>(DOCUMENTS.initial().phases());
        Map<String, SubStepProgress> reordered = new LinkedHashMap<>();
        reordered.put("uploadImages", skipped());
        reordered.put("codeGeneration", completed());
        phases.put("phase1", new PhaseProgress(PhaseStatus.COMPLETED, "old", reordered));
        ProgressDocument stored = new ProgressDocument("phase3", phases, RunContext.empty());

        ProgressDocument read = DOCUMENTS.withContext(stored, RunContext.empty());

        assertThat(read.phases().get("phase1").subSteps()).containsExactly(
                Map.entry("cloudwaitressAccount", SubStepProgress.pending()), Map.entry("codeGeneration", completed()),
                Map.entry("createOnboardingUser", SubStepProgress.pending()), Map.entry("uploadImages", skipped()));
        assertThat(read.phases().get("phase1").status()).isEqualTo(PhaseStatus.IN_PROGRESS);
        assertThat(read.phases().get("phase1").description()).isEqualTo("Initial parallel operations");
        assertThat(read.currentPhase()).isEqualTo("phase1");
    }

    // ---- generations and keys
    // -----------------------------------------------------------------------------------

    @Test
    void aTransitionKeepsTheGenerationAndKeyOfTheEntryItFollows() {
        ProgressDocument started = DOCUMENTS.withSubStep(DOCUMENTS.initial(), "servicesConfig",
                SubStepProgress.started(NOW).inGeneration(2, "job:servicesConfig:2"));

        ProgressDocument retrying = DOCUMENTS.withSubStep(started, "servicesConfig",
                SubStepProgress.retrying(NOW, 2, "HTTP 503"));

        SubStepProgress entry = DOCUMENTS.subStep(retrying, "servicesConfig");
        assertThat(entry.generation()).isEqualTo(2);
        assertThat(entry.idempotencyKey()).isEqualTo("job:servicesConfig:2");
        assertThat(entry.previousError()).isEqualTo("HTTP 503");
    }

    @Test
    void anEntryOfANewGenerationDropsTheOldKey() {
        SubStepProgress earlier = SubStepProgress.failed(NOW, NOW, 3, "boom").inGeneration(2, "job:k:2");

        SubStepProgress next = SubStepProgress.pending(3).following(earlier);

        assertThat(next.generation()).isEqualTo(3);
        assertThat(next.idempotencyKey()).isNull();
    }

    @Test
    void anEntryWithItsOwnGenerationAndKeyStandsAsItIs() {
        SubStepProgress earlier = SubStepProgress.failed(NOW, NOW, 3, "boom").inGeneration(2, "job:k:2");
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

    // ---- reruns
    // -------------------------------------------------------------------------------------------------

    @Test
    void aRerunKeepsCompletedAndSkippedSubStepsAndRunsTheRestAgain() {
        SubStepProgress done = completed();
        SubStepProgress notWanted = skipped();
        ProgressDocument before = with(DOCUMENTS.initial(), Map.of("cloudwaitressAccount", done, "codeGeneration",
                notWanted, "createOnboardingUser",
                SubStepProgress.failed(NOW, NOW, 3, "HTTP 500").inGeneration(2, "job:createOnboardingUser:2"),
                "uploadImages", SubStepProgress.started(NOW).cancelled(NOW).withIdempotencyKey("job:uploadImages"),
                "restaurantRegistration", SubStepProgress.started(NOW).inGeneration(3, "job:restaurantRegistration:3"),
                "websiteConfig", blockedBy("restaurantRegistration")));
        ProgressDocument withContext = DOCUMENTS.withContext(before,
                RunContext.empty().with("codeInjectionId", "ci-1"));

        ProgressDocument rerun = DOCUMENTS.forRerun(withContext, false);

        assertThat(DOCUMENTS.subStep(rerun, "cloudwaitressAccount")).isEqualTo(done);
        assertThat(DOCUMENTS.subStep(rerun, "codeGeneration")).isEqualTo(notWanted);
        // ended failed or cancelled: the outcome is known, so a new generation with a new
        // key
        assertThat(DOCUMENTS.subStep(rerun, "createOnboardingUser")).isEqualTo(SubStepProgress.pending(3));
        assertThat(DOCUMENTS.subStep(rerun, "uploadImages")).isEqualTo(SubStepProgress.pending(2));
        // under way when the run died: the outcome is unknown, so the same generation and
        // key
        assertThat(DOCUMENTS.subStep(rerun, "restaurantRegistration"))
            .isEqualTo(SubStepProgress.pending(3).withIdempotencyKey("job:restaurantRegistration:3"));
        // only blocked: pending again, unblocked, same generation
        assertThat(DOCUMENTS.subStep(rerun, "websiteConfig")).isEqualTo(SubStepProgress.pending());
        assertThat(rerun.context()).isEqualTo(RunContext.empty().with("codeInjectionId", "ci-1"));
        assertThat(rerun.currentPhase()).isEqualTo("phase1");
        assertThat(status(rerun, "phase2")).isEqualTo("pending");
    }

    @Test
    void aRestartRunsEverySubStepInANewGenerationWithAnEmptyContext() {
        ProgressDocument before = DOCUMENTS
            .withContext(
                    with(DOCUMENTS.initial(),
                            Map.of("cloudwaitressAccount", completed(), "codeGeneration",
                                    SubStepProgress.completed(NOW, NOW, 1, null)
                                        .inGeneration(2, "job:codeGeneration:2"))),
                    RunContext.empty()
                        .with("codeInjectionId", "ci-1")
                        .with("generatedAt", 5L)
                        .with("onboardingUserCreated", true)
                        .with("menuImportSucceeded", true));

        ProgressDocument restarted = DOCUMENTS.forRerun(before, true);

        assertThat(DOCUMENTS.subStep(restarted, "cloudwaitressAccount")).isEqualTo(SubStepProgress.pending(2));
        assertThat(DOCUMENTS.subStep(restarted, "codeGeneration")).isEqualTo(SubStepProgress.pending(3));
        assertThat(DOCUMENTS.subStep(restarted, "itemTags")).isEqualTo(SubStepProgress.pending(2));
        assertThat(restarted.context()).isEqualTo(RunContext.empty());
        assertThat(restarted.currentPhase()).isEqualTo("phase1");
        assertThat(restarted.phases().values()).extracting(PhaseProgress::status).containsOnly(PhaseStatus.PENDING);
    }

    @Test
    void aRerunOfAJobThatNeverRanStartsFromANewDocument() {
        assertThat(DOCUMENTS.forRerun(null, false)).isEqualTo(DOCUMENTS.initial());
        assertThat(DOCUMENTS.forRerun(null, true)).isEqualTo(DOCUMENTS.initial());
    }

    // ---- cancel
    // -------------------------------------------------------------------------------------------------

    @Test
    void aCancelEndsWhatHadNotEndedAndKeepsWhatHad() {
        SubStepProgress failure = failed();
        ProgressDocument before = with(DOCUMENTS.initial(), Map.of("cloudwaitressAccount", completed(),
                "codeGeneration", skipped(), "createOnboardingUser", failure, "uploadImages",
                SubStepProgress.retrying(NOW - 500, 2, "HTTP 503").inGeneration(2, "job:uploadImages:2"),
                "restaurantRegistration", SubStepProgress.retrying(NOW - 2_000, 4, "HTTP 503").cancelled(NOW - 1_000)));

        ProgressDocument cancelled = DOCUMENTS.cancelled(before, NOW);

        assertThat(DOCUMENTS.subStep(cancelled, "cloudwaitressAccount")).isEqualTo(completed());
        assertThat(DOCUMENTS.subStep(cancelled, "codeGeneration")).isEqualTo(skipped());
        assertThat(DOCUMENTS.subStep(cancelled, "createOnboardingUser")).isEqualTo(failure);
        assertThat(entry(DOCUMENTS.subStep(cancelled, "uploadImages"))).containsExactly(SubStepStatus.CANCELLED,
                NOW - 500, NOW, null, 2, "HTTP 503", null, "cancelled", null, null, 2, "job:uploadImages:2");
        assertThat(DOCUMENTS.subStep(cancelled, "restaurantRegistration").attempts()).isEqualTo(4);
        assertThat(entry(DOCUMENTS.subStep(cancelled, "itemTags"))).containsExactly(SubStepStatus.CANCELLED, null, NOW,
                null, null, null, null, "cancelled", null, null, null, null);
        assertThat(status(cancelled, "phase1")).isEqualTo("failed");
        assertThat(status(cancelled, "phase2")).isEqualTo("cancelled");
    }

    // ---- statuses
    // -----------------------------------------------------------------------------------------------

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
        assertThat(PhaseStatus.fromValue("in_progress")).isEqualTo(PhaseStatus.IN_PROGRESS);
        assertThat(PhaseStatus.CANCELLED.value()).isEqualTo("cancelled");
        assertThatThrownBy(() -> PhaseStatus.fromValue("done")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("unknown phase status done");
    }

    // ---- helpers
    // ------------------------------------------------------------------------------------------------

    private static ProgressDocument with(ProgressDocument document, Map<String, SubStepProgress> changes) {
        ProgressDocument changed = document;
        for (Map.Entry<String, SubStepProgress> change : changes.entrySet()) {
            changed = DOCUMENTS.withSubStep(changed, change.getKey(), change.getValue());
        }
        return changed;
    }

    private static String status(ProgressDocument document, String phase) {
        return document.phases().get(phase).status().value();
    }

    private static SubStepProgress completed() {
        return SubStepProgress.completed(NOW - 1_000, NOW, 1, Map.of("success", true));
    }

    /** Every field of an entry, in the order of the document. */
    private static List<Object> entry(SubStepProgress progress) {
        return java.util.Arrays.asList(progress.status(), progress.startedAt(), progress.completedAt(),
                progress.attempt(), progress.attempts(), progress.previousError(), progress.error(), progress.reason(),
                progress.blockedBy(), progress.result(), progress.generation(), progress.idempotencyKey());
    }

    private static SubStepProgress skipped() {
        return SubStepProgress.skipped(NOW, "not asked for");
    }

    private static SubStepProgress failed() {
        return SubStepProgress.failed(NOW - 1_000, NOW, 3, "HTTP 500: boom");
    }

    private static SubStepProgress cancelled() {
        return SubStepProgress.started(NOW - 1_000).cancelled(NOW);
    }

    private static SubStepProgress running(SubStepStatus status) {
        return status == SubStepStatus.RETRYING ? SubStepProgress.retrying(NOW - 1_000, 1, null)
                : SubStepProgress.started(NOW - 1_000);
    }

    private static SubStepProgress blockedBy(String key) {
        return SubStepProgress.blocked(List.of(key));
    }

}
