package io.yolomode.registration.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.yolomode.registration.downstream.CallOutcome;
import io.yolomode.registration.downstream.DownstreamProperties;
import io.yolomode.registration.downstream.RegistrationApiClient;
import io.yolomode.registration.downstream.RetryPolicy;
import io.yolomode.registration.downstream.SubStepCall;
import io.yolomode.registration.job.ClaimedJob;
import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.job.JobStore;
import io.yolomode.registration.job.LeaseLostException;
import io.yolomode.registration.job.ProgressDocument;
import io.yolomode.registration.job.RegistrationMetrics;
import io.yolomode.registration.job.SubStepProgress;
import io.yolomode.registration.job.SubStepStatus;
import io.yolomode.registration.secrets.DataKeys;
import io.yolomode.registration.secrets.FormSecrets;
import lombok.extern.slf4j.Slf4j;
import org.slf4j.MDC;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Runs one claimed job through the pipeline table: phase after phase, the sub-steps of a phase in parallel,
 * requirements and conditions first, every call retried by the {@link RetryPolicy}, every transition written as it
 * happens; then the job's outcome. Sub-steps that are already completed or skipped are not called again.
 */
@Slf4j
@Component
public class PipelineExecutor {

    private final JobStore store;

    private final RegistrationApiClient api;

    private final RetryPolicy retryPolicy;

    private final AsyncTaskExecutor callExecutor;

    private final AsyncTaskExecutor writeBehindExecutor;

    private final Clock clock;

    private final ClusterRateLimit rateLimit;

    private final DownstreamProperties downstream;

    private final RegistrationMetrics metrics;

    private final FormSecrets secrets;

    private final ProgressWriter writer;

    PipelineExecutor(JobStore store, RegistrationApiClient api, RetryPolicy retryPolicy,
            @Qualifier("registrationCallExecutor") AsyncTaskExecutor callExecutor,
            @Qualifier("registrationWriteBehindExecutor") AsyncTaskExecutor writeBehindExecutor, Clock clock,
            ClusterRateLimit rateLimit, DownstreamProperties downstream, RegistrationMetrics metrics,
            FormSecrets secrets, ProgressWriter writer) {
        this.store = store;
        this.api = api;
        this.retryPolicy = retryPolicy;
        this.callExecutor = callExecutor;
        this.writeBehindExecutor = writeBehindExecutor;
        this.clock = clock;
        this.rateLimit = rateLimit;
        this.downstream = downstream;
        this.metrics = metrics;
        this.secrets = secrets;
        this.writer = writer;
    }

    /**
     * Runs the job until it is finished, the run loses its lease, or the runner asks it to stop; in the last case
     * the sub-steps under way end first and nothing new starts.
     */
    public RunOutcome run(ClaimedJob claimed, RunSignals signals) {
        JobStore.RunSnapshot stored = loadForRun(claimed);
        MDC.put("restaurantId", stored.restaurant().id().toString());
        MDC.put("organisationId", stored.organisationId().toString());
        JobStore.RunSnapshot snapshot;
        try {
            snapshot = new JobStore.RunSnapshot(stored.jobId(), stored.organisationId(),
                    secrets.open(stored.jobId(), stored.form()), stored.progress(), stored.restaurant());
        }
        catch (DataKeys.SealedValueException ex) {
            return failUnopened(claimed, ex);
        }
        JobRun run = new JobRun(claimed.lease(), store, writer, snapshot, writeBehindExecutor);
        try {
            for (Pipeline.PhaseDefinition phase : Pipeline.PHASES) {
                if (claimed.cancelRequested() || signals.cancelRequested()) {
                    return cancel(run, claimed.isBatchJob());
                }
                if (!runPhase(run, phase.key(), signals)) {
                    if (signals.cancelRequested() && !run.leaseLost()) {
                        return cancel(run, claimed.isBatchJob());
                    }
                    return run.leaseLost() ? RunOutcome.LEASE_LOST : RunOutcome.STOPPED;
                }
            }
            metrics.jobEnded(claimed.isBatchJob(), finish(run));
            return RunOutcome.FINISHED;
        }
        catch (LeaseLostException ex) {
            log.warn("Job {} is no longer ours; stopping without further writes", claimed.lease().jobId());
            return RunOutcome.LEASE_LOST;
        }
    }

    /**
     * Cancels the job: calls under way were aborted by the interrupt that brought the run here; nothing further
     * starts, and the job ends cancelled.
     */
    private RunOutcome cancel(JobRun run, boolean batch) {
        boolean interrupted = Thread.interrupted();
        try {
            run.cancel(clock.millis());
            metrics.jobEnded(batch, JobStatus.CANCELLED);
            log.info("Job {} cancelled", run.lease().jobId());
            return RunOutcome.CANCELLED;
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Ends a job whose runs keep dying instead of running it again: the job fails saying why and its stored
     * progress is kept as it is (it is not even read, in case reading it is what kills the runs); a resume calls
     * the sub-steps that were under way again.
     */
    public void failPoisoned(ClaimedJob claimed, int maxTakeovers) {
        failWithoutRunning(claimed,
                "Gave up after " + maxTakeovers + " takeovers: every run of this job stopped before it ended");
    }

    /**
     * A job whose stored passwords the configured keys cannot open fails at once, saying which key is missing;
     * executing it again with the passwords, or configuring the old key, runs it.
     */
    private RunOutcome failUnopened(ClaimedJob claimed, DataKeys.SealedValueException ex) {
        String error = "The job's stored passwords cannot be opened: " + ex.getMessage();
        log.warn("Job {} failed: {}", claimed.lease().jobId(), error);
        RunOutcome outcome = failWithoutRunning(claimed, error);
        if (outcome == RunOutcome.FINISHED) {
            metrics.jobEnded(claimed.isBatchJob(), JobStatus.FAILED);
        }
        return outcome;
    }

    /** Ends a claimed job as failed without running anything; its stored progress is left as it is. */
    private RunOutcome failWithoutRunning(ClaimedJob claimed, String error) {
        try {
            DatabaseWrites.retrying("end of job " + claimed.lease().jobId(), () -> {
                store.finish(claimed.lease(), JobStatus.FAILED, error, null);
                return null;
            });
            return RunOutcome.FINISHED;
        }
        catch (LeaseLostException ex) {
            log.warn("Job {} is no longer ours", claimed.lease().jobId());
            return RunOutcome.LEASE_LOST;
        }
    }

    private JobStore.RunSnapshot loadForRun(ClaimedJob claimed) {
        return DatabaseWrites.retrying("start of job " + claimed.lease().jobId(),
                () -> store.loadForRun(claimed.lease().jobId()));
    }

    /**
     * Runs the sub-steps of one phase in parallel. A sub-step starts once its requirements within the phase have
     * ended; one whose requirement did not end completed or skipped stays pending, blocked by it; one whose
     * condition does not hold is skipped. Sub-steps already completed or skipped are left alone. Answers false
     * when the run must stop here.
     */
    private boolean runPhase(JobRun run, String phase, RunSignals signals) {
        List<SubStepDefinition> undecided = new ArrayList<>(Pipeline.subStepsOf(phase).stream()
                .filter(definition -> !settled(run.subStep(definition.key())))
                .toList());
        Set<String> running = new HashSet<>();
        CompletionService<String> calls = new ExecutorCompletionService<>(callExecutor);
        List<Future<String>> futures = new ArrayList<>();
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        boolean ended = false;
        try {
            while (!undecided.isEmpty() || !running.isEmpty()) {
                for (SubStepDefinition definition : List.copyOf(undecided)) {
                    if (signals.draining() || signals.cancelRequested() || run.leaseLost()) {
                        break;
                    }
                    if (definition.requires().stream().anyMatch(required -> running.contains(required)
                            || undecided.stream().anyMatch(other -> other.key().equals(required)))) {
                        continue;
                    }
                    undecided.remove(definition);
                    if (settleWithoutCall(run, definition)) {
                        continue;
                    }
                    running.add(definition.key());
                    futures.add(calls.submit(() -> {
                        withLogContext(logContext, definition.key(), () -> runSubStep(run, definition, signals));
                        return definition.key();
                    }));
                }
                if (running.isEmpty()) {
                    break;
                }
                running.remove(calls.take().get());
            }
            ended = true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (ExecutionException ex) {
            if (ex.getCause() instanceof LeaseLostException lost) {
                throw lost;
            }
            throw new IllegalStateException("sub-step failed unexpectedly on job " + run.lease().jobId(),
                    ex.getCause());
        }
        finally {
            if (!ended) {
                // Interrupted first, so that a call which ends because its connection was closed finds its
                // thread interrupted and writes nothing more.
                futures.forEach(future -> future.cancel(true));
                run.calls().abortAll();
            }
        }
        boolean stopping = signals.draining() || signals.cancelRequested() || run.leaseLost()
                || Thread.currentThread().isInterrupted();
        return !stopping && undecided.isEmpty() && Pipeline.subStepsOf(phase).stream()
                .allMatch(definition -> settled(run.subStep(definition.key())));
    }

    /**
     * Settled within a run: completed, skipped, failed, or blocked by a requirement. Only a resume or a new
     * execute makes failed and blocked sub-steps run again; a takeover or hand-back does not.
     */
    private static boolean settled(SubStepProgress progress) {
        return progress.status().isDone() || progress.status() == SubStepStatus.FAILED
                || (progress.status() == SubStepStatus.PENDING && progress.blockedBy() != null);
    }

    /**
     * Writes the sub-step as blocked or skipped when it will not be called; answers whether it did.
     */
    private boolean settleWithoutCall(JobRun run, SubStepDefinition definition) {
        List<String> unmet = definition.requires().stream()
                .filter(required -> !run.subStep(required).status().isDone())
                .toList();
        if (!unmet.isEmpty()) {
            run.transition(definition.key(), new SubStepProgress(SubStepStatus.PENDING, null, null, null, null,
                    null, null, null, unmet, null));
            return true;
        }
        Optional<String> skipReason = definition.skipReason().apply(run.input());
        if (skipReason.isPresent()) {
            run.transition(definition.key(), new SubStepProgress(SubStepStatus.SKIPPED, null, clock.millis(), null,
                    null, null, null, skipReason.get(), null, null));
            return true;
        }
        return false;
    }

    private static void withLogContext(Map<String, String> logContext, String subStep, Runnable work) {
        if (logContext != null) {
            MDC.setContextMap(logContext);
        }
        MDC.put("subStep", subStep);
        try {
            work.run();
        }
        finally {
            MDC.clear();
        }
    }

    private void runSubStep(JobRun run, SubStepDefinition definition, RunSignals signals) {
        String key = definition.key();
        UUID jobId = run.lease().jobId();
        Optional<Long> granted = awaitRateLimit(run, definition, signals, true);
        if (granted == null) {
            return;
        }
        long startedAt = granted.orElseGet(clock::millis);
        int attempt = 1;
        int generation = run.subStep(key).generationOrFirst();
        run.transitionWrittenBehind(key, new SubStepProgress(SubStepStatus.IN_PROGRESS, startedAt, null, attempt,
                null, null, null, null, null, null, generation,
                SubStepCall.idempotencyKey(jobId, key, generation)));
        while (true) {
            CallOutcome outcome = call(run, definition, generation);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            if (outcome instanceof CallOutcome.Succeeded succeeded) {
                long completedAt = clock.millis();
                run.transition(key, new SubStepProgress(SubStepStatus.COMPLETED, startedAt, completedAt, null,
                        attempt, null, null, null, null, succeeded.body()),
                        context -> definition.contextUpdate().apply(context, succeeded.body()));
                metrics.subStepEnded(key, "completed", Duration.ofMillis(completedAt - startedAt), attempt);
                return;
            }
            if (outcome instanceof CallOutcome.Failed failed) {
                log.warn("Sub-step {} of job {} failed: {}", key, jobId, failed.error());
                long failedAt = clock.millis();
                run.transition(key, new SubStepProgress(SubStepStatus.FAILED, startedAt, failedAt, null,
                        attempt, null, failed.error(), null, null, null));
                metrics.subStepEnded(key, "failed", Duration.ofMillis(failedAt - startedAt), attempt);
                return;
            }
            CallOutcome.Retryable retryable = (CallOutcome.Retryable) outcome;
            if (attempt >= retryPolicy.maxAttempts()) {
                String error = retryable.error() + " (gave up after " + attempt + " attempts)";
                log.warn("Sub-step {} of job {} failed: {}", key, jobId, error);
                long failedAt = clock.millis();
                run.transition(key, new SubStepProgress(SubStepStatus.FAILED, startedAt, failedAt, null,
                        attempt, null, error, null, null, null));
                metrics.subStepEnded(key, "failed", Duration.ofMillis(failedAt - startedAt), attempt);
                return;
            }
            Duration delay = retryPolicy.delayAfter(attempt, retryable.retryAfter());
            attempt++;
            log.info("Sub-step {} of job {} will retry (attempt {}) in {} ms: {}", key, jobId, attempt,
                    delay.toMillis(), retryable.error());
            run.transition(key, new SubStepProgress(SubStepStatus.RETRYING, startedAt, null, attempt, null,
                    retryable.error(), null, null, null, null));
            metrics.retried(key);
            if (!pause(delay, signals) || awaitRateLimit(run, definition, signals, false) == null) {
                return;
            }
        }
    }

    /**
     * One call; a rate-limited sub-step holds the cluster-wide limit, taken by {@link #awaitRateLimit}, until the
     * call has ended.
     */
    private CallOutcome call(JobRun run, SubStepDefinition definition, int generation) {
        RunInput input = run.input();
        SubStepCall call = new SubStepCall(input.jobId(), input.organisationId(), definition.key(), generation,
                definition.path().apply(input), definition.payload().apply(input));
        if (!rateLimited(definition)) {
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
     * Waits until the sub-step may start a call under the cluster-wide rate limit and takes it; a first start
     * shows the wait as a pending reason. Answers the granted start time (empty without a limit), or null when
     * the run was told to stop meanwhile.
     */
    private Optional<Long> awaitRateLimit(JobRun run, SubStepDefinition definition, RunSignals signals,
            boolean firstStart) {
        if (!rateLimited(definition)) {
            return Optional.empty();
        }
        Duration minInterval = downstream.accountCreationMinInterval();
        Duration maxHold = downstream.responseTimeoutFor(definition.key()).plus(downstream.connectTimeout());
        boolean announced = false;
        while (true) {
            Optional<Long> granted = DatabaseWrites.retrying("rate limit of " + definition.key(),
                    () -> rateLimit.tryAcquire(definition.key(), run.lease(), minInterval, maxHold));
            if (granted.isPresent()) {
                return granted;
            }
            if (firstStart && !announced) {
                run.transition(definition.key(), new SubStepProgress(SubStepStatus.PENDING, null, null, null, null,
                        null, null, "waiting for the cluster-wide rate limit", null, null));
                announced = true;
            }
            Duration wait = DatabaseWrites.retrying("rate limit of " + definition.key(),
                    () -> rateLimit.untilIntervalPassed(definition.key(), minInterval));
            if (!pause(clamp(wait), signals)) {
                return null;
            }
        }
    }

    private boolean rateLimited(SubStepDefinition definition) {
        return definition.clusterRateLimited() && !downstream.accountCreationMinInterval().isZero();
    }

    /** Until the interval has passed, or half a second while another job's call holds the limit. */
    private static Duration clamp(Duration untilIntervalPassed) {
        return untilIntervalPassed.isZero() ? Duration.ofMillis(500)
                : Duration.ofMillis(Math.max(20, Math.min(untilIntervalPassed.toMillis(), 1000)));
    }

    private JobStatus finish(JobRun run) {
        ProgressDocument document = run.document();
        Map<String, SubStepProgress> subSteps = ProgressDocuments.all(document);
        String failures = subSteps.entrySet().stream()
                .filter(entry -> entry.getValue().status() == SubStepStatus.FAILED)
                .map(entry -> entry.getKey() + " (" + entry.getValue().error() + ")")
                .collect(Collectors.joining("; "));
        String notRun = subSteps.entrySet().stream()
                .filter(entry -> !entry.getValue().status().isDone()
                        && entry.getValue().status() != SubStepStatus.FAILED)
                .map(Map.Entry::getKey)
                .collect(Collectors.joining(", "));
        if (failures.isEmpty() && notRun.isEmpty()) {
            run.finish(JobStatus.COMPLETED, null);
            log.info("Job {} completed", run.lease().jobId());
            return JobStatus.COMPLETED;
        }
        String error = failures.isEmpty() ? "Sub-steps not run: " + notRun
                : "Failed sub-steps: " + failures + (notRun.isEmpty() ? "" : "; blocked: " + notRun);
        run.finish(JobStatus.FAILED, error);
        log.info("Job {} failed: {}", run.lease().jobId(), error);
        return JobStatus.FAILED;
    }

    /**
     * Waits between calls; answers false when the wait was cut short because the run must stop.
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
