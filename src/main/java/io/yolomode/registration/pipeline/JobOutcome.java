package io.yolomode.registration.pipeline;

import java.util.Map;
import java.util.stream.Collectors;

import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.progress.SubStepProgress;
import io.yolomode.registration.progress.SubStepStatus;
import org.jspecify.annotations.Nullable;

/**
 * How a job ends once every phase was run: completed when every sub-step completed or was
 * skipped; otherwise failed, naming the failed sub-steps with their errors and the
 * sub-steps that did not run.
 *
 * @param status completed or failed
 * @param error why it failed, null when it completed
 */
record JobOutcome(JobStatus status, @Nullable String error) {

    /** The outcome of the sub-steps, in pipeline order. */
    static JobOutcome of(Map<String, SubStepProgress> subSteps) {
        String failures = subSteps.entrySet()
            .stream()
            .filter(entry -> entry.getValue().status() == SubStepStatus.FAILED)
            .map(entry -> entry.getKey() + " (" + entry.getValue().error() + ")")
            .collect(Collectors.joining("; "));
        String notRun = subSteps.entrySet()
            .stream()
            .filter(entry -> !entry.getValue().status().isDone() && entry.getValue().status() != SubStepStatus.FAILED)
            .map(Map.Entry::getKey)
            .collect(Collectors.joining(", "));
        if (failures.isEmpty() && notRun.isEmpty()) {
            return new JobOutcome(JobStatus.COMPLETED, null);
        }
        return new JobOutcome(JobStatus.FAILED, failures.isEmpty() ? "Sub-steps not run: " + notRun
                : "Failed sub-steps: " + failures + (notRun.isEmpty() ? "" : "; blocked: " + notRun));
    }
}
