package io.yolomode.registration.cancel;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.live.DatabaseNotifications;
import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.job.RegistrationMetrics;
import io.yolomode.registration.queue.JobQueue;
import io.yolomode.registration.queue.NotificationChannels;
import io.yolomode.registration.progress.ProgressDocument;
import io.yolomode.registration.progress.ProgressDocuments;
import io.yolomode.registration.security.Caller;
import io.yolomode.registration.system.Refusal;
import lombok.extern.slf4j.Slf4j;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Cancels jobs for real, across instances. A job that no runner holds yet is cancelled at
 * once; a running one is marked, and its owner, told by NOTIFY (or by its next lease
 * renewal), aborts the calls under way, starts nothing further and ends the job
 * cancelled. This class decides; the statements are the {@link JobQueue}'s.
 */
@Slf4j
@Service
public class JobCancellation {

    private final JobQueue queue;

    private final DatabaseNotifications notifications;

    private final Clock clock;

    private final RegistrationMetrics metrics;

    private final ProgressDocuments documents;

    JobCancellation(JobQueue queue, DatabaseNotifications notifications, Clock clock, RegistrationMetrics metrics,
            ProgressDocuments documents) {
        this.queue = queue;
        this.documents = documents;
        this.notifications = notifications;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * What a cancel request did: {@code cancelled} at once, or {@code cancelling} while
     * the owner stops the run.
     */
    public record CancelResult(boolean success, UUID jobId, String status) {
    }

    @Transactional
    public CancelResult cancel(Caller caller, UUID jobId) {
        // batch row before job row, as in every path that locks both (a batch job's end
        // moves the batch counters)
        queue.lockBatchOf(jobId, caller.organisationId());
        JobStatus status = queue.lockStatus(jobId, caller.organisationId())
            .orElseThrow(() -> Refusal.notFound("Job " + jobId + " was not found"));
        if (status.isTerminal()) {
            throw Refusal.conflict("Job " + jobId + " already ended " + status.value(),
                    Map.of("status", status.value()));
        }
        return cancelLocked(jobId, status);
    }

    /**
     * Cancels an active job whose row the current transaction has locked, after its batch
     * row (used for whole batches too).
     */
    @Transactional
    public CancelResult cancelLocked(UUID jobId, JobStatus status) {
        if (status == JobStatus.PENDING) {
            cancelPending(jobId);
            log.info("Cancelled job {} before it started", jobId);
            return new CancelResult(true, jobId, JobStatus.CANCELLED.value());
        }
        queue.requestCancel(jobId);
        notifications.notify(NotificationChannels.CANCEL_REQUESTED, jobId.toString());
        log.info("Asked the owner of job {} to cancel it", jobId);
        return new CancelResult(true, jobId, "cancelling");
    }

    private void cancelPending(UUID jobId) {
        ProgressDocument document = queue.storedProgress(jobId).orElseGet(documents::initial);
        boolean batch = queue.cancelPending(jobId, documents.cancelled(document, clock.millis()));
        metrics.jobEnded(batch, JobStatus.CANCELLED);
    }

}
