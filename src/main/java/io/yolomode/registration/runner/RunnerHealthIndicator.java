package io.yolomode.registration.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.yolomode.registration.job.JobStore;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The runner as readiness sees it: up while claiming works and no runnable job has waited longer than
 * {@code registration.runner.stuck-after}.
 */
@Component("runner")
class RunnerHealthIndicator implements HealthIndicator {

    private final JobRunner runner;

    private final JobStore store;

    private final RunnerProperties properties;

    RunnerHealthIndicator(JobRunner runner, JobStore store, RunnerProperties properties) {
        this.runner = runner;
        this.store = store;
        this.properties = properties;
    }

    @Override
    public Health health() {
        if (!runner.isEnabled()) {
            return Health.up().withDetail("enabled", false).build();
        }
        JobStore.Backlog backlog = store.backlog();
        Optional<Duration> oldest = backlog.runnable() == 0 ? Optional.empty() : Optional.of(backlog.oldestAge());
        Instant lastClaim = runner.lastSuccessfulClaim();
        Duration claimAllowance = properties.pollInterval().multipliedBy(10).plusSeconds(30);
        boolean claiming = lastClaim != null && lastClaim.isAfter(Instant.now().minus(claimAllowance));
        boolean stuck = oldest.isPresent() && oldest.get().compareTo(properties.stuckAfter()) > 0;
        Health.Builder health = claiming && !stuck ? Health.up() : Health.down();
        return health.withDetail("instance", runner.owner())
                .withDetail("running", runner.runningJobIds().size())
                .withDetail("capacity", runner.capacity())
                .withDetail("lastClaim", lastClaim == null ? "never" : lastClaim.toString())
                .withDetail("runnable", backlog.runnable())
                .withDetail("oldestRunnableAgeSeconds", oldest.map(Duration::toSeconds).orElse(0L))
                .build();
    }
}
