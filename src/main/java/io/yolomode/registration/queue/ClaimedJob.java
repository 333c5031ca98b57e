package io.yolomode.registration.queue;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A job that a claim gave this instance; {@code takeover} when it was another run's whose
 * lease had expired, and {@code cancelRequested} when someone asked to cancel it before
 * this run began. {@code stored} is what the run needs to start, read by the claim's own
 * statement (null when claimed without it), so that a run does not read it again.
 */
public record ClaimedJob(JobLease lease, boolean takeover, int takeoverCount, boolean cancelRequested,
        @Nullable UUID batchJobId, JobQueue.@Nullable StoredRun stored) {

    public ClaimedJob(JobLease lease, boolean takeover, int takeoverCount, boolean cancelRequested,
            @Nullable UUID batchJobId) {
        this(lease, takeover, takeoverCount, cancelRequested, batchJobId, null);
    }

    public boolean isBatchJob() {
        return batchJobId != null;
    }
}
