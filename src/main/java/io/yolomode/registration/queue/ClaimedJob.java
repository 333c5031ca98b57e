package io.yolomode.registration.queue;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A job that a claim gave this instance; {@code takeover} when it was another run's whose
 * lease had expired, and {@code cancelRequested} when someone asked to cancel it before
 * this run began.
 */
public record ClaimedJob(JobLease lease, boolean takeover, int takeoverCount, boolean cancelRequested,
        @Nullable UUID batchJobId) {

    public boolean isBatchJob() {
        return batchJobId != null;
    }
}
