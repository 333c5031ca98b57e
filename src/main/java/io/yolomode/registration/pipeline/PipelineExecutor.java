package io.yolomode.registration.pipeline;

import java.time.Clock;

import io.yolomode.registration.queue.ClaimedJob;
import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.queue.JobQueue;
import io.yolomode.registration.queue.LeaseLostException;
import io.yolomode.registration.job.RegistrationMetrics;
import io.yolomode.registration.secrets.DataKeys;
import io.yolomode.registration.secrets.FormSecrets;
import lombok.extern.slf4j.Slf4j;
import tools.jackson.databind.json.JsonMapper;
import org.slf4j.MDC;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Runs one claimed job through the pipeline table: opens its stored form, runs phase
 * after phase (each phase's sub-steps scheduled by the {@link PhaseScheduler}, each
 * sub-step's calls made by {@link SubStepAttempts} under its row's retry rule), handles a
 * cancel or a stop between and within phases, and ends the job with its
 * {@link JobOutcome}. Sub-steps that are already completed or skipped are not called
 * again.
 */
@Slf4j
@Component
public class PipelineExecutor {

    private final JobQueue store;

    private final Pipeline pipeline;

    private final PhaseScheduler phases;

    private final AsyncTaskExecutor writeBehindExecutor;

    private final Clock clock;

    private final RegistrationMetrics metrics;

    private final FormSecrets secrets;

    private final ProgressWriter writer;

    private final JsonMapper jsonMapper;

    PipelineExecutor(JobQueue store, Pipeline pipeline, PhaseScheduler phases,
            @Qualifier("registrationWriteBehindExecutor") AsyncTaskExecutor writeBehindExecutor, Clock clock,
            RegistrationMetrics metrics, FormSecrets secrets, ProgressWriter writer, JsonMapper jsonMapper) {
        this.store = store;
        this.pipeline = pipeline;
        this.phases = phases;
        this.writeBehindExecutor = writeBehindExecutor;
        this.clock = clock;
        this.metrics = metrics;
        this.secrets = secrets;
        this.writer = writer;
        this.jsonMapper = jsonMapper;
    }

    /**
     * Runs the job until it is finished, the run loses its lease, or the runner asks it
     * to stop; in the last case the sub-steps under way end first and nothing new starts.
     */
    public RunOutcome run(ClaimedJob claimed, RunSignals signals) {
        JobQueue.RunSnapshot stored = loadForRun(claimed);
        MDC.put("restaurantId", stored.restaurant().id().toString());
        MDC.put("organisationId", stored.organisationId().toString());
        JobQueue.RunSnapshot snapshot;
        try {
            snapshot = new JobQueue.RunSnapshot(stored.jobId(), stored.organisationId(),
                    secrets.open(stored.jobId(), stored.form()), stored.progress(), stored.restaurant());
        }
        catch (DataKeys.SealedValueException ex) {
            return failUnopened(claimed, ex);
        }
        JobRun run = new JobRun(claimed.lease(), claimed.batchJobId(), store, writer, snapshot, writeBehindExecutor,
                pipeline.documents(), jsonMapper);
        try {
            for (Pipeline.PhaseDefinition phase : pipeline.phases()) {
                if (claimed.cancelRequested() || signals.cancelRequested()) {
                    return cancel(run, claimed.isBatchJob());
                }
                if (!phases.runPhase(run, phase.key(), signals)) {
                    if (signals.cancelRequested() && !run.leaseLost()) {
                        return cancel(run, claimed.isBatchJob());
                    }
                    if (run.leaseLost()) {
                        return RunOutcome.LEASE_LOST;
                    }
                    // the job is handed back next: what its calls did is kept first
                    run.writeApplied();
                    return RunOutcome.STOPPED;
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
     * Cancels the job: calls under way were aborted by the interrupt that brought the run
     * here; nothing further starts, and the job ends cancelled.
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
     * Ends a job whose runs keep dying instead of running it again: the job fails saying
     * why and its stored progress is kept as it is (it is not even read, in case reading
     * it is what kills the runs); a resume calls the sub-steps that were under way again.
     */
    public void failPoisoned(ClaimedJob claimed, int maxTakeovers) {
        failWithoutRunning(claimed,
                "Gave up after " + maxTakeovers + " takeovers: every run of this job stopped before it ended");
    }

    /**
     * A job whose stored passwords the configured keys cannot open fails at once, saying
     * which key is missing; executing it again with the passwords, or configuring the old
     * key, runs it.
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

    /**
     * Ends a claimed job as failed without running anything; its stored progress is left
     * as it is.
     */
    private RunOutcome failWithoutRunning(ClaimedJob claimed, String error) {
        try {
            DatabaseWrites.retrying("end of job " + claimed.lease().jobId(), () -> {
                store.finish(claimed.lease(), claimed.batchJobId(), JobStatus.FAILED, error, null, null);
                return null;
            });
            return RunOutcome.FINISHED;
        }
        catch (LeaseLostException ex) {
            log.warn("Job {} is no longer ours", claimed.lease().jobId());
            return RunOutcome.LEASE_LOST;
        }
    }

    /** What the claim read, or read now when it did not. */
    private JobQueue.RunSnapshot loadForRun(ClaimedJob claimed) {
        JobQueue.StoredRun stored = claimed.stored();
        if (stored != null) {
            return store.snapshotOf(stored, claimed.lease().jobId());
        }
        return DatabaseWrites.retrying("start of job " + claimed.lease().jobId(),
                () -> store.loadForRun(claimed.lease().jobId()));
    }

    private JobStatus finish(JobRun run) {
        JobOutcome outcome = JobOutcome.of(pipeline.documents().all(run.document()));
        run.finish(outcome.status(), outcome.error());
        if (outcome.error() == null) {
            log.info("Job {} completed", run.lease().jobId());
        }
        else {
            log.info("Job {} failed: {}", run.lease().jobId(), outcome.error());
        }
        return outcome.status();
    }

}
