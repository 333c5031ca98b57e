package io.yolomode.registration.runner;

import java.time.Duration;
import java.time.Instant;

import io.yolomode.registration.queue.JobQueue;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The runner as readiness sees it: whether this instance can serve and run work, answered
 * from what the runner already keeps, without a query per probe. Up while its claim
 * passes work (so the database answers) and, when it runs jobs, while their leases are
 * renewed. The queue's backlog is a detail only: its age is chosen by callers
 * ({@code scheduledAt}, batch sizes), and a rule on it would take every instance out at
 * once.
 */
@Component("runner")
class RunnerHealthIndicator implements HealthIndicator {

    private final JobRunner runner;

    private final RunnerProperties properties;

    RunnerHealthIndicator(JobRunner runner, RunnerProperties properties) {
        this.runner = runner;
        this.properties = properties;
    }

    @Override
    public Health health() {
        Instant now = Instant.now();
        JobRunner.ObservedBacklog observed = runner.backlog();
        Health.Builder health;
        if (!runner.isEnabled()) {
            // an API-only instance: the periodic backlog read is what shows the database
            // answering
            boolean reachable = observed != null && recent(observed.at(), now, properties.readinessAllowance());
            health = (reachable ? Health.up() : Health.down()).withDetail("enabled", false);
        }
        else {
            Instant lastClaim = runner.lastSuccessfulClaim();
            Instant lastRenewal = runner.lastSuccessfulRenewal();
            boolean claiming = recent(lastClaim, now, properties.readinessAllowance());
            boolean renewing = recent(lastRenewal, now, properties.leaseDuration());
            health = (claiming && renewing ? Health.up() : Health.down()).withDetail("instance", runner.owner())
                .withDetail("running", runner.runningJobIds().size())
                .withDetail("capacity", runner.capacity())
                .withDetail("claiming", claiming)
                .withDetail("renewing", renewing)
                .withDetail("lastClaim", lastClaim == null ? "never" : lastClaim.toString())
                .withDetail("lastRenewal", lastRenewal.toString());
        }
        if (observed == null) {
            return health.withDetail("backlog", "not read yet").build();
        }
        JobQueue.Backlog backlog = observed.backlog();
        return health.withDetail("runnable", backlog.runnable())
            .withDetail("oldestRunnableAgeSeconds", backlog.oldestAge().toSeconds())
            .withDetail("stuck", backlog.oldestAge().compareTo(properties.stuckAfter()) > 0)
            .withDetail("backlogReadAt", observed.at().toString())
            .build();
    }

    private static boolean recent(Instant at, Instant now, Duration within) {
        return at != null && at.isAfter(now.minus(within));
    }

}
