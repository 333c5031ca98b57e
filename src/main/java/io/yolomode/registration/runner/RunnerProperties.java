package io.yolomode.registration.runner;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How this instance takes and runs jobs.
 *
 * @param enabled claim and run jobs at all (an API-only instance sets false)
 * @param instanceId the lease owner name; empty picks host, process id and a random
 * suffix
 * @param maxConcurrentJobs jobs running at once on this instance; the rest wait as rows
 * @param maxConcurrentJobsPerBatch jobs of one batch running at once across all instances
 * @param reservedForSingleJobs slots of this instance that batch jobs never take, so that
 * a dialog's single-restaurant job starts at once however large the queued batches
 * @param maxConcurrentCalls downstream calls at once on this instance (a phase runs up to
 * five in parallel)
 * @param pollInterval how often to look for runnable jobs besides the wake-ups
 * @param leaseDuration how long a lease lasts without renewal; a dead instance's jobs
 * wait this long
 * @param leaseRenewInterval how often the owner renews its leases
 * @param shutdownGrace on shutdown, how long running sub-steps may take to end before
 * their jobs are handed back
 * @param maxTakeovers a job whose runs died this many times fails instead of being run
 * again
 * @param stuckAfter the runner's health details flag the queue as {@code stuck} when a
 * runnable job has waited longer than this; it never changes readiness, since callers
 * choose {@code scheduledAt} and batch sizes
 * @param queuePoolSize connections of the runner's own pool, used by claims, lease
 * renewals and the backlog read only, so that API traffic on the main pool cannot delay
 * them
 * @param queuePoolTimeout how long a claim or renewal waits for one of those connections
 * @param queueLockTimeout how long a statement of that pool waits for a row lock before
 * it fails (a renewal is tried again at its next interval), so that a lock held elsewhere
 * cannot stop renewals and claims
 * @param queueStatementTimeout how long a statement of that pool may run at all
 * @param unreadyAfter readiness goes down when no claim pass has worked for this long
 * (the database is unreachable, or claims fail); it also goes down when running jobs'
 * leases have not been renewed for a lease duration
 * @param backlogRefreshInterval how often the backlog (queued jobs, oldest age) is read
 * for the gauges and the health details; probes and scrapes only read what was last seen
 */
@ConfigurationProperties("registration.runner")
public record RunnerProperties(@DefaultValue("true") boolean enabled, @DefaultValue("") String instanceId,
        @DefaultValue("8") int maxConcurrentJobs, @DefaultValue("5") int maxConcurrentJobsPerBatch,
        @DefaultValue("2") int reservedForSingleJobs, @DefaultValue("48") int maxConcurrentCalls,
        @DefaultValue("1s") Duration pollInterval, @DefaultValue("10s") Duration leaseDuration,
        @DefaultValue("3s") Duration leaseRenewInterval, @DefaultValue("30s") Duration shutdownGrace,
        @DefaultValue("5") int maxTakeovers, @DefaultValue("5m") Duration stuckAfter,
        @DefaultValue("3") int queuePoolSize, @DefaultValue("5s") Duration queuePoolTimeout,
        @DefaultValue("2s") Duration queueLockTimeout, @DefaultValue("10s") Duration queueStatementTimeout,
        @DefaultValue("15s") Duration unreadyAfter, @DefaultValue("5s") Duration backlogRefreshInterval) {

    /**
     * How long readiness waits for a claim pass or a backlog read that worked:
     * {@code unready-after}, but never less than three of the longer interval, so that
     * slow polling does not make readiness flap between passes.
     */
    public Duration readinessAllowance() {
        Duration interval = pollInterval.compareTo(backlogRefreshInterval) > 0 ? pollInterval : backlogRefreshInterval;
        Duration threeIntervals = interval.multipliedBy(3);
        return unreadyAfter.compareTo(threeIntervals) > 0 ? unreadyAfter : threeIntervals;
    }
}
