package io.yolomode.registration.runner;

import java.time.Duration;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.yolomode.registration.queue.JobQueue;

import org.springframework.stereotype.Component;

/**
 * The runner's gauges: jobs running on this instance, jobs waiting to run in the whole
 * cluster, and the age of the oldest of those (the number to alert on). They show the
 * backlog the runner last read (every {@code backlog-refresh-interval}), however often
 * they are scraped.
 */
@Component
class RunnerMetrics implements MeterBinder {

    private static final JobQueue.Backlog NOT_READ = new JobQueue.Backlog(0, Duration.ZERO);

    private final JobRunner runner;

    RunnerMetrics(JobRunner runner) {
        this.runner = runner;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("yolo.jobs.running", runner, r -> r.runningJobIds().size())
            .description("Jobs running on this instance")
            .register(registry);
        Gauge.builder("yolo.jobs.queued", this, metrics -> metrics.backlog().runnable())
            .description("Jobs waiting to run in the cluster (pending and due, or with an expired lease)")
            .register(registry);
        Gauge
            .builder("yolo.jobs.oldest.runnable.age", this,
                    metrics -> metrics.backlog().oldestAge().toMillis() / 1000.0)
            .description("How long the oldest job waiting to run has waited")
            .baseUnit("seconds")
            .register(registry);
    }

    private JobQueue.Backlog backlog() {
        JobRunner.ObservedBacklog observed = runner.backlog();
        return observed == null ? NOT_READ : observed.backlog();
    }

}
