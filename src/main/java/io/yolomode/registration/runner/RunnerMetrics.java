package io.yolomode.registration.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.yolomode.registration.job.JobStore;

import org.springframework.stereotype.Component;

/**
 * The runner's gauges: jobs running on this instance, jobs waiting to run in the whole cluster, and the age of the
 * oldest of those (the number to alert on). The queue is read at most every five seconds, however often the
 * gauges are scraped.
 */
@Component
class RunnerMetrics implements MeterBinder {

    private static final Duration CACHE = Duration.ofSeconds(5);

    private final JobRunner runner;

    private final JobStore store;

    private final AtomicReference<Cached> backlog = new AtomicReference<>();

    RunnerMetrics(JobRunner runner, JobStore store) {
        this.runner = runner;
        this.store = store;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("yolo.jobs.running", runner, r -> r.runningJobIds().size())
                .description("Jobs running on this instance").register(registry);
        Gauge.builder("yolo.jobs.queued", this, metrics -> metrics.backlog().runnable())
                .description("Jobs waiting to run in the cluster (pending and due, or with an expired lease)")
                .register(registry);
        Gauge.builder("yolo.jobs.oldest.runnable.age", this, metrics -> metrics.backlog().oldestAge().toMillis() / 1000.0)
                .description("How long the oldest job waiting to run has waited").baseUnit("seconds")
                .register(registry);
    }

    private JobStore.Backlog backlog() {
        Cached cached = backlog.get();
        if (cached == null || cached.at().isBefore(Instant.now().minus(CACHE))) {
            try {
                cached = new Cached(store.backlog(), Instant.now());
                backlog.set(cached);
            }
            catch (RuntimeException ex) {
                return cached == null ? new JobStore.Backlog(0, Duration.ZERO) : cached.backlog();
            }
        }
        return cached.backlog();
    }

    private record Cached(JobStore.Backlog backlog, Instant at) {
    }
}
