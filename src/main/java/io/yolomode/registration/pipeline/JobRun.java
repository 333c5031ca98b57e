package io.yolomode.registration.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.yolomode.registration.downstream.CallAborts;
import io.yolomode.registration.job.FormData;
import io.yolomode.registration.queue.HistoryEntry;
import io.yolomode.registration.queue.JobLease;
import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.queue.JobQueue;
import io.yolomode.registration.queue.LeaseLostException;
import io.yolomode.registration.progress.ProgressDocument;
import io.yolomode.registration.progress.ProgressDocuments;
import io.yolomode.registration.progress.RunContext;
import io.yolomode.registration.progress.SubStepProgress;
import io.yolomode.registration.progress.SubStepStatus;
import lombok.extern.slf4j.Slf4j;
import tools.jackson.databind.json.JsonMapper;

import org.jspecify.annotations.Nullable;

/**
 * The state of one job while this instance runs it. The runner holds the lease, so it is
 * the only writer of the progress document: the document lives here. A transition is
 * applied under the document's lock, so parallel sub-steps never lose each other's
 * changes; writes of the job go one at a time under the write lock, and each writes the
 * newest document with every history entry not written yet, so the database gets the
 * newest document last and transitions that come together (parallel sub-steps, a quick
 * call's start and end) share one write.
 */
@Slf4j
final class JobRun {

    private final JobLease lease;

    /**
     * The job's batch as claimed (a job's batch never changes); null for a single job.
     */
    private final @Nullable UUID batchId;

    private final JobQueue store;

    private final ProgressWriter writer;

    private final RunInput.RestaurantSnapshot restaurant;

    private final FormData form;

    private final UUID organisationId;

    private final Executor writeBehind;

    private final ProgressDocuments documents;

    /** Guarded by {@link #writeLock}. */
    private final DocumentJson json;

    /** Guarded by this, like {@link #unwritten} and {@link #applied}. */
    private ProgressDocument document;

    /** History entries of the transitions applied but not written yet, oldest first. */
    private final List<HistoryEntry> unwritten = new ArrayList<>();

    private long applied;

    /**
     * Set when the run ends; a sub-step thread still winding down then changes nothing.
     * Guarded by this.
     */
    private boolean ended;

    private final Object writeLock = new Object();

    /**
     * Guarded by {@link #writeLock}: how many of the applied transitions are in the
     * database.
     */
    private long written;

    private volatile boolean leaseLost;

    private final CallAborts calls = new CallAborts();

    JobRun(JobLease lease, @Nullable UUID batchId, JobQueue store, ProgressWriter writer, JobQueue.RunSnapshot snapshot,
            Executor writeBehind, ProgressDocuments documents, JsonMapper jsonMapper) {
        this.lease = lease;
        this.batchId = batchId;
        this.json = new DocumentJson(jsonMapper);
        this.documents = documents;
        this.store = store;
        this.writer = writer;
        this.writeBehind = writeBehind;
        this.organisationId = snapshot.organisationId();
        this.form = snapshot.form();
        JobQueue.RunSnapshot.RestaurantRow row = snapshot.restaurant();
        FormData.RestaurantDetails overrides = snapshot.form().restaurant();
        this.restaurant = new RunInput.RestaurantSnapshot(row.id(), firstNonNull(overrides.name(), row.name()),
                row.email(), firstNonNull(overrides.phone(), row.phone()),
                firstNonNull(overrides.address(), row.address()), firstNonNull(overrides.city(), row.city()),
                firstNonNull(overrides.openingHours(), row.openingHours()));
        this.document = interruptedCallsPending(
                snapshot.progress() == null ? documents.initial() : snapshot.progress());
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
        return documents.subStep(document, key);
    }

    /** What conditions and payloads read, as of now. */
    synchronized RunInput input() {
        Map<String, SubStepStatus> statuses = new LinkedHashMap<>();
        documents.all(document).forEach((key, progress) -> statuses.put(key, progress.status()));
        return new RunInput(lease.jobId(), organisationId, restaurant, form, document.context(), statuses);
    }

    void transition(String key, SubStepProgress progress) {
        transition(key, progress, UnaryOperator.identity());
    }

    /**
     * Applies one sub-step transition, with whatever it adds to the run context, and
     * returns once it is written.
     * @throws LeaseLostException when the job is no longer this runner's
     */
    void transition(String key, SubStepProgress progress, UnaryOperator<RunContext> contextChange) {
        writeUpTo(apply(key, progress, contextChange));
    }

    /**
     * Applies one sub-step transition and writes it on another thread, for the start of a
     * call: the call need not wait for it, since a call that was under way is made again
     * after a crash whether its start was written or not. The call's next transition is
     * written after it, in the same write when the call was quick.
     */
    void transitionWrittenBehind(String key, SubStepProgress progress) {
        transitionWrittenBehind(key, progress, UnaryOperator.identity());
    }

    /**
     * As {@link #transitionWrittenBehind(String, SubStepProgress)}, with whatever the
     * transition adds to the run context: for a call's success, which nothing waits for
     * until {@link #writeApplied} (before the next sub-step starts, or the run stops) or
     * the run's end, which writes it in its own statement. A crash before it is written
     * makes the call again with the same idempotency key, as a crash during the call
     * would.
     */
    void transitionWrittenBehind(String key, SubStepProgress progress, UnaryOperator<RunContext> contextChange) {
        long sequence = apply(key, progress, contextChange);
        if (sequence == 0) {
            return;
        }
        try {
            writeBehind.execute(() -> {
                try {
                    writeUpTo(sequence);
                }
                catch (LeaseLostException ex) {
                    // Noted in leaseLost; the run stops at its next transition or lease
                    // check.
                }
                catch (RuntimeException ex) {
                    log.warn("Writing the progress of job {} failed; its next transition writes it", lease.jobId(), ex);
                }
            });
        }
        catch (RejectedExecutionException ex) {
            writeUpTo(sequence);
        }
    }

    /**
     * Writes every transition applied so far and returns once they are written: before a
     * sub-step starts (so that what it needs, and what ran before it, is kept) and before
     * a run that stops hands its job back.
     * @throws LeaseLostException when the job is no longer this runner's
     */
    void writeApplied() {
        long sequence;
        synchronized (this) {
            sequence = applied;
        }
        writeUpTo(sequence);
    }

    /**
     * Ends the run with the job's final status, retrying through database outages; the
     * transitions not written yet go in the same statement, before the end's history
     * entry.
     */
    void finish(JobStatus status, String error) {
        synchronized (writeLock) {
            ProgressDocument finalDocument;
            List<HistoryEntry> events;
            long upTo;
            synchronized (this) {
                ended = true;
                finalDocument = document;
                events = List.copyOf(unwritten);
                upTo = applied;
            }
            String finalJson = json.write(finalDocument);
            fenced("end of job " + lease.jobId(), () -> {
                store.finish(lease, batchId, status, error, finalDocument, finalJson, events);
                return null;
            });
            synchronized (this) {
                unwritten.clear();
            }
            written = upTo;
        }
    }

    /**
     * Ends the run as cancelled: every sub-step that neither ended nor failed becomes
     * cancelled.
     */
    void cancel(long now) {
        synchronized (this) {
            ended = true;
            document = documents.cancelled(document, now);
        }
        finish(JobStatus.CANCELLED, null);
    }

    /**
     * Answers the transition's number, or 0 (nothing to write) once the run has ended.
     */
    private synchronized long apply(String key, SubStepProgress progress, UnaryOperator<RunContext> contextChange) {
        if (ended) {
            // A sub-step thread that was interrupted by a cancel can still get here; the
            // end stands.
            return 0;
        }
        ProgressDocument next = documents.withSubStep(document, key, progress);
        RunContext context = contextChange.apply(next.context());
        if (context != next.context()) {
            next = documents.withContext(next, context);
        }
        document = next;
        // The entry as it stands, with the generation and key it kept, so the history
        // names the key too.
        unwritten.add(HistoryEntry.subStep(key, documents.subStep(next, key)));
        return ++applied;
    }

    private void writeUpTo(long sequence) {
        synchronized (writeLock) {
            if (written < sequence) {
                writeUnwritten();
            }
        }
    }

    /**
     * Writes the newest document with the history entries not written yet; the caller
     * holds the write lock.
     */
    private void writeUnwritten() {
        ProgressDocument toWrite;
        List<HistoryEntry> events;
        long upTo;
        synchronized (this) {
            if (unwritten.isEmpty()) {
                return;
            }
            toWrite = document;
            events = List.copyOf(unwritten);
            upTo = applied;
        }
        JobQueue.ProgressWrite write = new JobQueue.ProgressWrite(lease, toWrite, events, json.write(toWrite));
        fenced("progress of job " + lease.jobId(), () -> writer.write(write));
        synchronized (this) {
            unwritten.subList(0, events.size()).clear();
        }
        written = upTo;
    }

    /**
     * A write of this run, retried through outages; a lost lease is remembered before it
     * is thrown on.
     */
    private <T> T fenced(String what, Supplier<T> write) {
        try {
            return DatabaseWrites.retrying(what, write);
        }
        catch (LeaseLostException ex) {
            leaseLost = true;
            throw ex;
        }
    }

    /**
     * A sub-step that was under way when an earlier run stopped is called again, with the
     * same idempotency key.
     */
    private ProgressDocument interruptedCallsPending(ProgressDocument document) {
        ProgressDocument result = document;
        for (Map.Entry<String, SubStepProgress> entry : documents.all(document).entrySet()) {
            if (entry.getValue().status().isRunning()) {
                result = documents.withSubStep(result, entry.getKey(), SubStepProgress.pending());
            }
        }
        return result;
    }

    private static <T> T firstNonNull(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }

}
