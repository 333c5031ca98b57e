package io.yolomode.registration.queue;

import java.util.UUID;

/**
 * Published (as an application event) inside the transaction that made jobs runnable, so
 * that every runner claims: this instance's once the transaction commits, the others
 * through {@link NotificationChannels#JOB_QUEUED}.
 *
 * @param payload what the notification says became runnable: a job id, or
 * {@code batch:<batchId>}
 */
public record RunnerWakeUp(String payload) {

    /** A job was created, or queued again. */
    public static RunnerWakeUp jobQueued(UUID jobId) {
        return new RunnerWakeUp(jobId.toString());
    }

    /** A batch started: its pending jobs are due now. */
    public static RunnerWakeUp batchStarted(UUID batchId) {
        return new RunnerWakeUp("batch:" + batchId);
    }
}
