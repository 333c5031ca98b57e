package io.yolomode.registration.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.progress.SubStepProgress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a job ends once its phases were run: completed when every sub-step completed or was
 * skipped; otherwise failed, naming the failed sub-steps with their errors, then what did
 * not run, in pipeline order.
 */
class JobOutcomeTest {

    private static final long NOW = 1_732_800_000_000L;

    @Test
    void everySubStepCompletedOrSkippedCompletesTheJob() {
        assertThat(JobOutcome.of(subSteps(SubStepProgress.completed(NOW, NOW, 1, null),
                SubStepProgress.skipped(NOW, "not asked for"), SubStepProgress.completed(NOW, NOW, 3, Map.of()))))
            .isEqualTo(new JobOutcome(JobStatus.COMPLETED, null));
    }

    @Test
    void failuresAreNamedWithTheirErrorsAndWhatTheyBlockedAfterThem() {
        JobOutcome outcome = JobOutcome.of(subSteps(SubStepProgress.failed(NOW, NOW, 1, "HTTP 422: no menu"),
                SubStepProgress.completed(NOW, NOW, 1, null), SubStepProgress.blocked(List.of("a")),
                SubStepProgress.failed(NOW, NOW, 3, "HTTP 503: busy (gave up after 3 attempts)"),
                SubStepProgress.pending()));

        assertThat(outcome).isEqualTo(new JobOutcome(JobStatus.FAILED,
                "Failed sub-steps: a (HTTP 422: no menu); d (HTTP 503: busy (gave up after 3 attempts));"
                        + " blocked: c, e"));
    }

    @Test
    void aFailureAloneSaysNothingOfBlockedSubSteps() {
        assertThat(JobOutcome.of(subSteps(SubStepProgress.completed(NOW, NOW, 1, null),
                SubStepProgress.failed(NOW, NOW, 1, "HTTP 400: no"))))
            .isEqualTo(new JobOutcome(JobStatus.FAILED, "Failed sub-steps: b (HTTP 400: no)"));
    }

    @Test
    void subStepsThatDidNotRunWithoutAFailureAreNamed() {
        assertThat(JobOutcome.of(subSteps(SubStepProgress.completed(NOW, NOW, 1, null),
                SubStepProgress.started(NOW).cancelled(NOW), SubStepProgress.retrying(NOW, 2, "HTTP 503"))))
            .isEqualTo(new JobOutcome(JobStatus.FAILED, "Sub-steps not run: b, c"));
    }

    /** Sub-steps a, b, c... in that order. */
    private static Map<String, SubStepProgress> subSteps(SubStepProgress... progress) {
        Map<String, SubStepProgress> subSteps = new LinkedHashMap<>();
        for (int i = 0; i < progress.length; i++) {
            subSteps.put(String.valueOf((char) ('a' + i)), progress[i]);
        }
        return subSteps;
    }

}
