package io.yolomode.registration.job;

/**
 * A job that a claim gave this instance; {@code takeover} when it was another run's whose lease had expired.
 */
public record ClaimedJob(JobLease lease, boolean takeover, int takeoverCount) {
}
