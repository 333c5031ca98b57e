package io.yolomode.registration.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import io.yolomode.registration.downstream.CallAborts;
import io.yolomode.registration.job.FormData;
import io.yolomode.registration.job.JobEvent;
import io.yolomode.registration.job.JobLease;
import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.job.JobStore;
import io.yolomode.registration.job.LeaseLostException;
import io.yolomode.registration.job.ProgressDocument;
import io.yolomode.registration.job.RunContext;
import io.yolomode.registration.job.SubStepProgress;
import io.yolomode.registration.job.SubStepStatus;

/**
 * The state of one job while this instance runs it. The runner holds the lease, so it is the only writer of the
 * progress document: the document lives here, and each transition is applied and written under one lock, so
 * parallel sub-steps never lose each other's changes and the database always gets the newest document last.
 */
final class JobRun {

    private final JobLease lease;

    private final JobStore store;

    private final RunInput.RestaurantSnapshot restaurant;

    private final FormData form;

    private final UUID organisationId;

    private ProgressDocument document;

    private volatile boolean leaseLost;

    private final CallAborts calls = new CallAborts();

    JobRun(JobLease lease, JobStore store, JobStore.RunSnapshot snapshot) {
        this.lease = lease;
        this.store = store;
        this.organisationId = snapshot.organisationId();
        this.form = snapshot.form();
        JobStore.RunSnapshot.RestaurantRow row = snapshot.restaurant();
        FormData.RestaurantDetails overrides = snapshot.form().restaurant();
        this.restaurant = new RunInput.RestaurantSnapshot(row.id(),
                firstNonNull(overrides.name(), row.name()),
                row.email(),
                firstNonNull(overrides.phone(), row.phone()),
                firstNonNull(overrides.address(), row.address()),
                firstNonNull(overrides.city(), row.city()),
                firstNonNull(overrides.openingHours(), row.openingHours()));
        this.document = interruptedCallsPending(
                snapshot.progress() == null ? ProgressDocuments.initial() : snapshot.progress());
    }

    JobLease lease() {
        return lease;
    }

    boolean leaseLost() {
        return leaseLost;
    }

    /** The run's downstream calls under way, aborted when the run stops. */
    CallAborts calls() {
        return calls;
    }

    synchronized ProgressDocument document() {
        return document;
    }

    synchronized SubStepProgress subStep(String key) {
        return ProgressDocuments.subStep(document, key);
    }

    /** What conditions and payloads read, as of now. */
    synchronized RunInput input() {
        Map<String, SubStepStatus> statuses = new LinkedHashMap<>();
        ProgressDocuments.all(document).forEach((key, progress) -> statuses.put(key, progress.status()));
        return new RunInput(lease.jobId(), organisationId, restaurant, form, document.context(), statuses);
    }

    void transition(String key, SubStepProgress progress) {
        transition(key, progress, UnaryOperator.identity());
    }

    /**
     * Applies and writes one sub-step transition, with whatever it adds to the run context.
     *
     * @throws LeaseLostException when the job is no longer this runner's; nothing was written
     */
    synchronized void transition(String key, SubStepProgress progress, UnaryOperator<RunContext> contextChange) {
        ProgressDocument next = ProgressDocuments.withSubStep(document, key, progress);
        RunContext context = contextChange.apply(next.context());
        if (context != next.context()) {
            next = ProgressDocuments.withContext(next, context);
        }
        ProgressDocument toWrite = next;
        try {
            DatabaseWrites.retrying("progress of job " + lease.jobId(),
                    () -> store.writeProgress(lease, toWrite, JobEvent.subStep(key, progress)));
        }
        catch (LeaseLostException ex) {
            leaseLost = true;
            throw ex;
        }
        document = next;
    }

    /**
     * Ends the run with the job's final status, retrying through database outages.
     */
    synchronized void finish(JobStatus status, String error) {
        try {
            DatabaseWrites.retrying("end of job " + lease.jobId(), () -> {
                store.finish(lease, status, error, document);
                return null;
            });
        }
        catch (LeaseLostException ex) {
            leaseLost = true;
            throw ex;
        }
    }

    /**
     * Ends the run as cancelled: every sub-step that neither ended nor failed becomes cancelled.
     */
    synchronized void cancel(long now) {
        document = ProgressDocuments.cancelled(document, now);
        finish(JobStatus.CANCELLED, null);
    }

    /**
     * A sub-step that was under way when an earlier run stopped is called again, with the same idempotency key.
     */
    private static ProgressDocument interruptedCallsPending(ProgressDocument document) {
        ProgressDocument result = document;
        for (Map.Entry<String, SubStepProgress> entry : ProgressDocuments.all(document).entrySet()) {
            if (entry.getValue().status().isRunning()) {
                result = ProgressDocuments.withSubStep(result, entry.getKey(), SubStepProgress.pending());
            }
        }
        return result;
    }

    private static <T> T firstNonNull(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
