package io.yolomode.registration.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.yolomode.registration.downstream.CallOutcome;
import io.yolomode.registration.downstream.DownstreamProperties;
import io.yolomode.registration.downstream.RegistrationApiClient;
import io.yolomode.registration.downstream.SubStepCall;
import io.yolomode.registration.job.RegistrationMetrics;
import io.yolomode.registration.progress.SubStepProgress;
import lombok.extern.slf4j.Slf4j;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * One sub-step's attempts within a run: it waits for the row's rate limit, makes a call,
 * and lets the row's {@link RetryRule} decide whether and when the next call follows;
 * every transition is written as it happens, a call's start and success behind it (the
 * next sub-step to start waits for them to be written).
 */
@Slf4j
@Component
class SubStepAttempts {

    private final RegistrationApiClient api;

    private final ClusterRateLimit rateLimit;

    private final DownstreamProperties downstream;

    private final RegistrationMetrics metrics;

    private final Clock clock;

    SubStepAttempts(RegistrationApiClient api, ClusterRateLimit rateLimit, DownstreamProperties downstream,
            RegistrationMetrics metrics, Clock clock) {
        this.api = api;
        this.rateLimit = rateLimit;
        this.downstream = downstream;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Runs the sub-step until it completed or failed, or until the run must stop. */
    void run(JobRun run, SubStepDefinition definition, RunSignals signals) {
        String key = definition.key();
        UUID jobId = run.lease().jobId();
        Optional<Long> granted = awaitRateLimit(run, definition, signals, true);
        if (granted == null) {
            return;
        }
        long startedAt = granted.orElseGet(clock::millis);
        int attempt = 1;
        int generation = run.subStep(key).generationOrFirst();
        run.transitionWrittenBehind(key,
                SubStepProgress.started(startedAt, generation, SubStepCall.idempotencyKey(jobId, key, generation)));
        while (true) {
            CallOutcome outcome = call(run, definition, generation);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            if (outcome instanceof CallOutcome.Succeeded succeeded) {
                long completedAt = clock.millis();
                // written behind: the next sub-step to start, or the run's end, writes it
                run.transitionWrittenBehind(key,
                        SubStepProgress.completed(startedAt, completedAt, attempt, succeeded.body()),
                        context -> definition.contextUpdate().apply(context, succeeded.body()));
                metrics.subStepEnded(key, "completed", Duration.ofMillis(completedAt - startedAt), attempt);
                return;
            }
            Optional<Duration> delay = definition.retry().retryAfter(outcome, attempt);
            if (delay.isEmpty()) {
                String error = outcome instanceof CallOutcome.Failed failed ? failed.error()
                        : ((CallOutcome.Retryable) outcome).error() + " (gave up after " + attempt + " attempts)";
                log.warn("Sub-step {} of job {} failed: {}", key, jobId, error);
                long failedAt = clock.millis();
                run.transition(key, SubStepProgress.failed(startedAt, failedAt, attempt, error));
                metrics.subStepEnded(key, "failed", Duration.ofMillis(failedAt - startedAt), attempt);
                return;
            }
            String error = ((CallOutcome.Retryable) outcome).error();
            attempt++;
            log.info("Sub-step {} of job {} will retry (attempt {}) in {} ms: {}", key, jobId, attempt,
                    delay.get().toMillis(), error);
            run.transition(key, SubStepProgress.retrying(startedAt, attempt, error));
            metrics.retried(key);
            if (!pause(delay.get(), signals) || awaitRateLimit(run, definition, signals, false) == null) {
                return;
            }
        }
    }

    /**
     * One call; a rate-limited sub-step holds the cluster-wide limit, taken by
     * {@link #awaitRateLimit}, until the call has ended.
     */
    private CallOutcome call(JobRun run, SubStepDefinition definition, int generation) {
        RunInput input = run.input();
        SubStepCall call = new SubStepCall(input.jobId(), input.organisationId(), definition.key(), generation,
                definition.path().apply(input), definition.payload().apply(input), definition.timeout());
        if (!definition.rateLimited()) {
            return api.call(call, run.calls());
        }
        try {
            return api.call(call, run.calls());
        }
        finally {
            DatabaseWrites.retrying("rate limit of " + definition.key(), () -> {
                rateLimit.release(definition.key(), run.lease());
                return null;
            });
        }
    }

    /**
     * Waits until the sub-step may start a call under its cluster-wide rate limit and
     * takes it; a first start shows the wait as a pending reason. Answers the granted
     * start time (empty without a limit), or null when the run was told to stop
     * meanwhile.
     */
    private @Nullable Optional<Long> awaitRateLimit(JobRun run, SubStepDefinition definition, RunSignals signals,
            boolean firstStart) {
        if (!definition.rateLimited()) {
            return Optional.empty();
        }
        String key = definition.key();
        Duration minInterval = definition.minInterval();
        Duration maxHold = definition.timeout().plus(downstream.connectTimeout());
        if (firstStart) {
            DatabaseWrites.retrying("rate limit of " + key, () -> {
                rateLimit.ensureExists(key);
                return null;
            });
        }
        boolean announced = false;
        while (true) {
            Optional<Long> granted = DatabaseWrites.retrying("rate limit of " + key,
                    () -> rateLimit.tryAcquire(key, run.lease(), minInterval, maxHold));
            if (granted.isPresent()) {
                return granted;
            }
            if (firstStart && !announced) {
                run.transition(key, SubStepProgress.waiting("waiting for the cluster-wide rate limit"));
                announced = true;
            }
            Duration wait = DatabaseWrites.retrying("rate limit of " + key,
                    () -> rateLimit.untilIntervalPassed(key, minInterval));
            if (!pause(clamp(wait), signals)) {
                return null;
            }
        }
    }

    /**
     * Until the interval has passed, or half a second while another job's call holds the
     * limit.
     */
    private static Duration clamp(Duration untilIntervalPassed) {
        return untilIntervalPassed.isZero() ? Duration.ofMillis(500)
                : Duration.ofMillis(Math.max(20, Math.min(untilIntervalPassed.toMillis(), 1000)));
    }

    /**
     * Waits between calls; answers false when the wait was cut short because the run must
     * stop.
     */
    private static boolean pause(Duration delay, RunSignals signals) {
        long until = System.nanoTime() + delay.toNanos();
        try {
            while (System.nanoTime() < until) {
                if (signals.draining() || signals.cancelRequested()) {
                    return false;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
                TimeUnit.MILLISECONDS.sleep(Math.max(1, Math.min(left, 200)));
            }
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}
