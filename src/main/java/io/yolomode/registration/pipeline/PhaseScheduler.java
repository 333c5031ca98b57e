package io.yolomode.registration.pipeline;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;

import io.yolomode.registration.queue.LeaseLostException;
import io.yolomode.registration.progress.SubStepProgress;
import io.yolomode.registration.progress.SubStepStatus;
import org.slf4j.MDC;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Schedules the sub-steps of one phase: each starts, on the call executor, as soon as its
 * requirements within the phase have ended; one whose requirement did not end completed
 * or skipped is blocked, one whose condition does not hold is skipped, and the attempts
 * of the others are {@link SubStepAttempts}'.
 */
@Component
class PhaseScheduler {

    private final Pipeline pipeline;

    private final SubStepAttempts attempts;

    private final AsyncTaskExecutor callExecutor;

    private final Clock clock;

    PhaseScheduler(Pipeline pipeline, SubStepAttempts attempts,
            @Qualifier("registrationCallExecutor") AsyncTaskExecutor callExecutor, Clock clock) {
        this.pipeline = pipeline;
        this.attempts = attempts;
        this.callExecutor = callExecutor;
        this.clock = clock;
    }

    /**
     * Runs the sub-steps of one phase in parallel. A sub-step starts once its
     * requirements within the phase have ended; one whose requirement did not end
     * completed or skipped stays pending, blocked by it; one whose condition does not
     * hold is skipped. Sub-steps already completed or skipped are left alone. Answers
     * false when the run must stop here.
     */
    boolean runPhase(JobRun run, String phase, RunSignals signals) {
        List<SubStepDefinition> undecided = new ArrayList<>(pipeline.subStepsOf(phase)
            .stream()
            .filter(definition -> !settled(run.subStep(definition.key())))
            .toList());
        Set<String> running = new HashSet<>();
        CompletionService<String> calls = new ExecutorCompletionService<>(callExecutor);
        List<Future<String>> futures = new ArrayList<>();
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        boolean ended = false;
        try {
            while (!undecided.isEmpty() || !running.isEmpty()) {
                boolean keptWhatRanBefore = false;
                for (SubStepDefinition definition : List.copyOf(undecided)) {
                    if (signals.draining() || signals.cancelRequested() || run.leaseLost()) {
                        break;
                    }
                    if (definition.requires()
                        .stream()
                        .anyMatch(required -> running.contains(required)
                                || undecided.stream().anyMatch(other -> other.key().equals(required)))) {
                        continue;
                    }
                    undecided.remove(definition);
                    if (settleWithoutCall(run, definition)) {
                        continue;
                    }
                    if (!keptWhatRanBefore) {
                        // a success is written behind: what ran before is kept before
                        // another call starts (once for the sub-steps starting together)
                        run.writeApplied();
                        keptWhatRanBefore = true;
                        // that write may have waited out an outage or a lock: the run
                        // may have been told to stop meanwhile
                        if (signals.draining() || signals.cancelRequested() || run.leaseLost()
                                || Thread.currentThread().isInterrupted()) {
                            undecided.add(definition);
                            break;
                        }
                    }
                    running.add(definition.key());
                    futures.add(calls.submit(() -> {
                        withLogContext(logContext, definition.key(), () -> attempts.run(run, definition, signals));
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
                // Interrupted first, so that a call which ends because its connection was
                // closed finds its
                // thread interrupted and writes nothing more.
                futures.forEach(future -> future.cancel(true));
                run.calls().abortAll();
            }
        }
        boolean stopping = signals.draining() || signals.cancelRequested() || run.leaseLost()
                || Thread.currentThread().isInterrupted();
        return !stopping && undecided.isEmpty()
                && pipeline.subStepsOf(phase).stream().allMatch(definition -> settled(run.subStep(definition.key())));
    }

    /**
     * Settled within a run: completed, skipped, failed, or blocked by a requirement. Only
     * a resume or a new execute makes failed and blocked sub-steps run again; a takeover
     * or hand-back does not.
     */
    private static boolean settled(SubStepProgress progress) {
        return progress.status().isDone() || progress.status() == SubStepStatus.FAILED
                || (progress.status() == SubStepStatus.PENDING && progress.blockedBy() != null);
    }

    /**
     * Writes the sub-step as blocked or skipped when it will not be called; answers
     * whether it did.
     */
    private boolean settleWithoutCall(JobRun run, SubStepDefinition definition) {
        List<String> unmet = definition.requires()
            .stream()
            .filter(required -> !run.subStep(required).status().isDone())
            .toList();
        if (!unmet.isEmpty()) {
            run.transition(definition.key(), SubStepProgress.blocked(unmet));
            return true;
        }
        Optional<String> skipReason = definition.skipReason().apply(run.input());
        if (skipReason.isPresent()) {
            run.transition(definition.key(), SubStepProgress.skipped(clock.millis(), skipReason.get()));
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

}
