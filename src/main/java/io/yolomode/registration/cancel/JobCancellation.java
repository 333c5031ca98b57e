package io.yolomode.registration.cancel;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.yolomode.registration.live.DatabaseNotifications;
import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.job.JobStore;
import io.yolomode.registration.job.ProgressDocument;
import io.yolomode.registration.job.RegistrationMetrics;
import io.yolomode.registration.pipeline.ProgressDocuments;
import io.yolomode.registration.runner.JobRunner;
import io.yolomode.registration.security.Caller;
import io.yolomode.registration.system.ApiException;
import lombok.extern.slf4j.Slf4j;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Cancels jobs for real, across instances. A job that no runner holds yet is cancelled at once; a running one is
 * marked, and its owner, told by NOTIFY (or by its next lease renewal), aborts the calls under way, starts
 * nothing further and ends the job cancelled.
 */
@Slf4j
@Service
public class JobCancellation {

    private final JdbcClient jdbc;

    private final DatabaseNotifications notifications;

    private final JsonMapper jsonMapper;

    private final Clock clock;

    private final RegistrationMetrics metrics;

    private final JobStore jobStore;

    JobCancellation(JdbcClient jdbc, DatabaseNotifications notifications, JsonMapper jsonMapper, Clock clock,
            RegistrationMetrics metrics, JobStore jobStore) {
        this.jdbc = jdbc;
        this.jobStore = jobStore;
        this.notifications = notifications;
        this.jsonMapper = jsonMapper;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * What a cancel request did: {@code cancelled} at once, or {@code cancelling} while the owner stops the run.
     */
    public record CancelResult(boolean success, UUID jobId, String status) {
    }

    @Transactional
    public CancelResult cancel(Caller caller, UUID jobId) {
        // batch row before job row, as in every path that locks both (a batch job's end moves the batch counters)
        jobStore.lockBatchOf(jobId, caller.organisationId());
        JobStatus status = jdbc.sql("""
                select status from registration_jobs where id = ? and organisation_id = ? for update""")
                .params(jobId, caller.organisationId())
                .query((rs, row) -> JobStatus.of(rs.getString("status")))
                .optional()
                .orElseThrow(() -> ApiException.notFound("Job " + jobId + " was not found"));
        if (status.isTerminal()) {
            throw new ApiException(org.springframework.http.HttpStatus.CONFLICT,
                    "Job " + jobId + " already ended " + status.value(), Map.of("status", status.value()));
        }
        return cancelLocked(jobId, status);
    }

    /**
     * Cancels an active job whose row the current transaction has locked, after its batch row (used for whole
     * batches too).
     */
    @Transactional
    public CancelResult cancelLocked(UUID jobId, JobStatus status) {
        if (status == JobStatus.PENDING) {
            cancelPending(jobId);
            log.info("Cancelled job {} before it started", jobId);
            return new CancelResult(true, jobId, JobStatus.CANCELLED.value());
        }
        jdbc.sql("""
                with requested as (
                    update registration_jobs
                    set cancel_requested_at = coalesce(cancel_requested_at, now()), version = version + 1,
                        updated_at = now()
                    where id = ?
                    returning version
                )
                insert into registration_job_events (registration_job_id, sequence, type, status)
                select ?, version, 'cancel_requested', 'in_progress' from requested""")
                .params(jobId, jobId)
                .update();
        notifications.notify(JobRunner.CANCEL_CHANNEL, jobId.toString());
        log.info("Asked the owner of job {} to cancel it", jobId);
        return new CancelResult(true, jobId, "cancelling");
    }

    private void cancelPending(UUID jobId) {
        Optional<String> stored = jdbc.sql("""
                select sub_step_progress::text from registration_job_steps
                where registration_job_id = ? and step_number = 6""")
                .param(jobId)
                .query(String.class)
                .optional();
        ProgressDocument document = stored.filter(json -> json != null)
                .map(json -> jsonMapper.readValue(json, ProgressDocument.class))
                .orElseGet(ProgressDocuments::initial);
        String cancelled = jsonMapper.writeValueAsString(ProgressDocuments.cancelled(document, clock.millis()));
        boolean batch = jdbc.sql("""
                with cancelled as (
                    update registration_jobs
                    set status = 'cancelled', cancel_requested_at = now(), completed_at = now(),
                        version = version + 1, updated_at = now()
                    where id = :id
                    returning version, batch_job_id is not null as batch
                ), step as (
                    update registration_job_steps
                    set status = 'cancelled', sub_step_progress = cast(:document as jsonb), completed_at = now(),
                        updated_at = now()
                    where registration_job_id = :id and step_number = 6
                ), history as (
                    insert into registration_job_events (registration_job_id, sequence, type, status)
                    select :id, version, 'job_finished', 'cancelled' from cancelled
                )
                select batch from cancelled""")
                .param("id", jobId)
                .param("document", cancelled)
                .query(Boolean.class)
                .single();
        metrics.jobEnded(batch, JobStatus.CANCELLED);
    }
}
