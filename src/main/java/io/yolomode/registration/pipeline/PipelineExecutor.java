package io.yolomode.registration.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.yolomode.registration.downstream.CallOutcome;
import io.yolomode.registration.downstream.RegistrationApiClient;
import io.yolomode.registration.downstream.RetryPolicy;
import io.yolomode.registration.downstream.SubStepCall;
import io.yolomode.registration.job.ClaimedJob;
import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.job.JobStore;
import io.yolomode.registration.job.LeaseLostException;
import io.yolomode.registration.job.ProgressDocument;
import io.yolomode.registration.job.SubStepProgress;
import io.yolomode.registration.job.SubStepStatus;
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

    private final Clock clock;

    PipelineExecutor(JobStore store, RegistrationApiClient api, RetryPolicy retryPolicy,
            @Qualifier("registrationCallExecutor") AsyncTaskExecutor callExecutor, Clock clock) {
        this.store = store;
        this.api = api;
        this.retryPolicy = retryPolicy;
        this.callExecutor = callExecutor;
        this.clock = clock;
    }

    /**
     * Runs the job until it is finished, or until the run loses its lease or is interrupted.
     */
    public void run(ClaimedJob claimed) {
        JobRun run = new JobRun(claimed.lease(), store, store.loadForRun(claimed.lease().jobId()));
        try {
            for (Pipeline.PhaseDefinition phase : Pipeline.PHASES) {
                runPhase(run, phase.key());
                if (run.leaseLost() || Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
            finish(run);
        }
        catch (LeaseLostException ex) {
            log.warn("Job {} is no longer ours; stopping without further writes", claimed.lease().jobId());
        }
    }

    /**
     * Runs the sub-steps of one phase in parallel. A sub-step starts once its requirements within the phase have
     * ended; one whose requirement did not end completed or skipped stays pending, blocked by it; one whose
     * condition does not hold is skipped. Sub-steps already completed or skipped are left alone.
     */
    private void runPhase(JobRun run, String phase) {
        List<SubStepDefinition> undecided = new ArrayList<>(Pipeline.subStepsOf(phase).stream()
                .filter(definition -> !run.subStep(definition.key()).status().isDone())
                .toList());
        Set<String> running = new HashSet<>();
        CompletionService<String> calls = new ExecutorCompletionService<>(callExecutor);
        List<Future<String>> futures = new ArrayList<>();
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        try {
            while (!undecided.isEmpty() || !running.isEmpty()) {
                for (SubStepDefinition definition : List.copyOf(undecided)) {
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
                        withLogContext(logContext, definition.key(), () -> runSubStep(run, definition));
                        return definition.key();
                    }));
                }
                if (running.isEmpty()) {
                    break;
                }
                running.remove(calls.take().get());
            }
        }
        catch (InterruptedException ex) {
            futures.forEach(future -> future.cancel(true));
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException ex) {
            futures.forEach(future -> future.cancel(true));
            if (ex.getCause() instanceof LeaseLostException lost) {
                throw lost;
            }
            throw new IllegalStateException("sub-step failed unexpectedly on job " + run.lease().jobId(),
                    ex.getCause());
        }
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

    private void runSubStep(JobRun run, SubStepDefinition definition) {
        String key = definition.key();
        long startedAt = clock.millis();
        int attempt = 1;
        run.transition(key, new SubStepProgress(SubStepStatus.IN_PROGRESS, startedAt, null, attempt, null, null, null,
                null, null, null));
        while (true) {
            RunInput input = run.input();
            CallOutcome outcome = api.call(new SubStepCall(input.jobId(), input.organisationId(), key,
                    definition.path().apply(input), definition.payload().apply(input)));
            if (outcome instanceof CallOutcome.Succeeded succeeded) {
                run.transition(key, new SubStepProgress(SubStepStatus.COMPLETED, startedAt, clock.millis(), null,
                        attempt, null, null, null, null, succeeded.body()),
                        context -> definition.contextUpdate().apply(context, succeeded.body()));
                return;
            }
            if (outcome instanceof CallOutcome.Failed failed) {
                log.warn("Sub-step {} of job {} failed: {}", key, input.jobId(), failed.error());
                run.transition(key, new SubStepProgress(SubStepStatus.FAILED, startedAt, clock.millis(), null,
                        attempt, null, failed.error(), null, null, null));
                return;
            }
            CallOutcome.Retryable retryable = (CallOutcome.Retryable) outcome;
            if (attempt >= retryPolicy.maxAttempts()) {
                String error = retryable.error() + " (gave up after " + attempt + " attempts)";
                log.warn("Sub-step {} of job {} failed: {}", key, input.jobId(), error);
                run.transition(key, new SubStepProgress(SubStepStatus.FAILED, startedAt, clock.millis(), null,
                        attempt, null, error, null, null, null));
                return;
            }
            Duration delay = retryPolicy.delayAfter(attempt, retryable.retryAfter());
            attempt++;
            log.info("Sub-step {} of job {} will retry (attempt {}) in {} ms: {}", key, input.jobId(), attempt,
                    delay.toMillis(), retryable.error());
            run.transition(key, new SubStepProgress(SubStepStatus.RETRYING, startedAt, null, attempt, null,
                    retryable.error(), null, null, null, null));
            if (!pause(delay)) {
                return;
            }
        }
    }

    private void finish(JobRun run) {
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
            store.finish(run.lease(), JobStatus.COMPLETED, null, document);
            log.info("Job {} completed", run.lease().jobId());
            return;
        }
        String error = failures.isEmpty() ? "Sub-steps not run: " + notRun
                : "Failed sub-steps: " + failures + (notRun.isEmpty() ? "" : "; blocked: " + notRun);
        store.finish(run.lease(), JobStatus.FAILED, error, document);
        log.info("Job {} failed: {}", run.lease().jobId(), error);
    }

    private static boolean pause(Duration delay) {
        try {
            TimeUnit.MILLISECONDS.sleep(delay.toMillis());
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}
