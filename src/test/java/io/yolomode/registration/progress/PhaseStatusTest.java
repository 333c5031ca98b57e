package io.yolomode.registration.progress;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A phase's status from its sub-steps, in the order the rules apply: all done, then
 * anything running, then a failure or a block, then a cancellation, then all pending;
 * anything else is under way.
 */
class PhaseStatusTest {

    private static final long NOW = 1_732_800_000_000L;

    private static final SubStepProgress COMPLETED = SubStepProgress.completed(NOW, NOW, 1, null);

    private static final SubStepProgress SKIPPED = SubStepProgress.skipped(NOW, "not asked for");

    private static final SubStepProgress RUNNING = SubStepProgress.started(NOW);

    private static final SubStepProgress RETRYING = SubStepProgress.retrying(NOW, 2, "HTTP 503");

    private static final SubStepProgress FAILED = SubStepProgress.failed(NOW, NOW, 1, "HTTP 400");

    private static final SubStepProgress BLOCKED = SubStepProgress.blocked(List.of("menuImport"));

    private static final SubStepProgress CANCELLED = RUNNING.cancelled(NOW);

    private static final SubStepProgress PENDING = SubStepProgress.pending();

    @Test
    void allCompletedOrSkippedIsCompleted() {
        assertThat(PhaseStatus.of(List.of(COMPLETED, SKIPPED))).isEqualTo(PhaseStatus.COMPLETED);
        assertThat(PhaseStatus.of(List.of(SKIPPED))).isEqualTo(PhaseStatus.COMPLETED);
    }

    @Test
    void anythingRunningIsInProgressWhateverElseEnded() {
        assertThat(PhaseStatus.of(List.of(FAILED, RUNNING))).isEqualTo(PhaseStatus.IN_PROGRESS);
        assertThat(PhaseStatus.of(List.of(CANCELLED, RETRYING, BLOCKED))).isEqualTo(PhaseStatus.IN_PROGRESS);
    }

    @Test
    void aFailureOrABlockWithNothingRunningIsFailed() {
        assertThat(PhaseStatus.of(List.of(COMPLETED, FAILED, PENDING))).isEqualTo(PhaseStatus.FAILED);
        assertThat(PhaseStatus.of(List.of(COMPLETED, BLOCKED))).isEqualTo(PhaseStatus.FAILED);
        assertThat(PhaseStatus.of(List.of(CANCELLED, FAILED))).isEqualTo(PhaseStatus.FAILED);
    }

    @Test
    void aCancellationWithNoFailureIsCancelled() {
        assertThat(PhaseStatus.of(List.of(COMPLETED, CANCELLED, PENDING))).isEqualTo(PhaseStatus.CANCELLED);
    }

    @Test
    void allPendingIsPendingAndAPartlyDonePhaseIsInProgress() {
        assertThat(PhaseStatus.of(List.of(PENDING, SubStepProgress.waiting("waiting for the rate limit"))))
            .isEqualTo(PhaseStatus.PENDING);
        assertThat(PhaseStatus.of(List.of(COMPLETED, PENDING))).isEqualTo(PhaseStatus.IN_PROGRESS);
    }

    @Test
    void statusesAreWrittenAsTheDocumentHasAlwaysStoredThem() {
        assertThat(PhaseStatus.values()).extracting(PhaseStatus::value)
            .containsExactly("pending", "in_progress", "completed", "failed", "cancelled");
    }

}
