package io.yolomode.registration.runner;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import io.yolomode.registration.live.DatabaseNotifications;
import io.yolomode.registration.queue.ClaimedJob;
import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.job.RegistrationMetrics;
import io.yolomode.registration.pipeline.PipelineExecutor;
import io.yolomode.registration.pipeline.RunOutcome;
import io.yolomode.registration.pipeline.RunSignals;
import io.yolomode.registration.queue.JobQueue;
import io.yolomode.registration.queue.NotificationChannels;
import io.yolomode.registration.queue.RunnerWakeUp;
import lombok.extern.slf4j.Slf4j;
import org.slf4j.MDC;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;

/**
 * Runs a claimed job on the job pool with its ids in the log context; a run that was told
 * to stop hands its job back at once, and one whose lease went while it waited for a
 * thread does not begin. The returned future can be cancelled to interrupt the run.
 */
@Slf4j
@Component
class JobExecution {

    private final PipelineExecutor pipeline;

    private final JobQueue queue;

    private final DatabaseNotifications notifications;

    private final RegistrationMetrics metrics;

    JobExecution(PipelineExecutor pipeline, JobQueue queue, DatabaseNotifications notifications,
            RegistrationMetrics metrics) {
        this.pipeline = pipeline;
        this.queue = queue;
        this.notifications = notifications;
        this.metrics = metrics;
    }

    @Async("registrationJobExecutor")
    public Future<RunOutcome> execute(ClaimedJob job, RunSignals signals, BooleanSupplier begin, Runnable whenDone) {
        MDC.put("jobId", job.lease().jobId().toString());
        RunOutcome outcome = RunOutcome.STOPPED;
        try {
            if (!begin.getAsBoolean()) {
                log.info("Job {} was no longer ours when its run could begin", job.lease().jobId());
                return CompletableFuture.completedFuture(RunOutcome.LEASE_LOST);
            }
            log.info("Job {} {} (attempt {}{})", job.lease().jobId(), job.takeover() ? "taken over" : "started",
                    job.lease().attempt(), job.takeover() ? ", takeover " + job.takeoverCount() : "");
            metrics.jobStarted(job.isBatchJob());
            outcome = pipeline.run(job, signals);
            if (outcome == RunOutcome.STOPPED) {
                handBack(job);
            }
        }
        catch (RuntimeException ex) {
            log.error("Run of job {} stopped unexpectedly; its lease will expire and it will be taken over",
                    job.lease().jobId(), ex);
        }
        finally {
            MDC.clear();
            whenDone.run();
        }
        return CompletableFuture.completedFuture(outcome);
    }

    @Async("registrationJobExecutor")
    public Future<RunOutcome> failPoisoned(ClaimedJob job, int maxTakeovers, Runnable whenDone) {
        try {
            log.warn("Job {} was taken over {} times; failing it instead of running it again", job.lease().jobId(),
                    job.takeoverCount());
            pipeline.failPoisoned(job, maxTakeovers);
            metrics.jobEnded(job.isBatchJob(), JobStatus.FAILED);
        }
        catch (RuntimeException ex) {
            log.error("Could not fail job {}", job.lease().jobId(), ex);
        }
        finally {
            whenDone.run();
        }
        return CompletableFuture.completedFuture(RunOutcome.FINISHED);
    }

    private void handBack(ClaimedJob job) {
        boolean interrupted = Thread.interrupted();
        try {
            if (queue.release(job.lease())) {
                notifications.notify(NotificationChannels.JOB_QUEUED,
                        RunnerWakeUp.jobQueued(job.lease().jobId()).payload());
                log.info("Handed job {} back for another instance", job.lease().jobId());
            }
        }
        catch (RuntimeException ex) {
            log.warn("Could not hand job {} back ({}); its lease will expire", job.lease().jobId(), ex.getMessage());
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
