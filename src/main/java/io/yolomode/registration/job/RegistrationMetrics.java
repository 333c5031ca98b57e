package io.yolomode.registration.job;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The service's own meters, all named {@code yolo.*}: jobs started and ended (tagged
 * {@code kind} single or batch, and {@code status}), sub-step durations by key and
 * outcome, attempts and retries, and lease takeovers. Gauges (running, queued, oldest
 * runnable, stream clients) are bound where their numbers live.
 */
@Component
public class RegistrationMetrics {

    private final MeterRegistry registry;

    /**
     * The sub-step meters by key (and outcome), looked up once: every call ends with
     * them, and building a meter's id and finding it again costs more than the recording.
     */
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();

    private final Map<String, DistributionSummary> attempts = new ConcurrentHashMap<>();

    RegistrationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void jobStarted(boolean batch) {
        Counter.builder("yolo.jobs.started")
            .description("Runs of jobs started, takeovers included")
            .tag("kind", kind(batch))
            .register(registry)
            .increment();
    }

    /** A job ended: completed, failed or cancelled. */
    public void jobEnded(boolean batch, JobStatus status) {
        Counter.builder("yolo.jobs." + status.value())
            .description("Jobs that ended " + status.value())
            .tag("kind", kind(batch))
            .register(registry)
            .increment();
    }

    public void subStepEnded(String key, String outcome, Duration duration, int calls) {
        durations
            .computeIfAbsent(key + " " + outcome,
                    ignored -> Timer.builder("yolo.substep.duration")
                        .description("Time from a sub-step's first call to its end")
                        .tag("key", key)
                        .tag("outcome", outcome)
                        .register(registry))
            .record(duration);
        attempts
            .computeIfAbsent(key,
                    ignored -> DistributionSummary.builder("yolo.substep.attempts")
                        .description("Calls a sub-step took")
                        .tag("key", key)
                        .register(registry))
            .record(calls);
    }

    public void retried(String key) {
        Counter.builder("yolo.substep.retries")
            .description("Sub-step calls that will be made again")
            .tag("key", key)
            .register(registry)
            .increment();
    }

    public void takenOver() {
        Counter.builder("yolo.lease.takeovers")
            .description("Jobs claimed after their owner's lease expired")
            .register(registry)
            .increment();
    }

    private static String kind(boolean batch) {
        return batch ? "batch" : "single";
    }

}
