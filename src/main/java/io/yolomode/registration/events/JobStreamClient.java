package io.yolomode.registration.events;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import io.yolomode.registration.job.JobEvent;
import io.yolomode.registration.job.JobHistoryEntry;
import io.yolomode.registration.job.StoredProgress;
import io.yolomode.registration.job.JobQueries;
import io.yolomode.registration.job.JobStatus;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open event stream of one job. It remembers only the last sequence it sent; when told that the job changed
 * it reads the history entries after that sequence and the current progress from the database and sends one
 * {@code progress} event per entry. Sending runs on the hub's pool, one drain at a time per client.
 */
final class JobStreamClient {

    private final UUID jobId;

    private final SseEmitter emitter;

    private final JobQueries queries;

    private final JsonMapper jsonMapper;

    private final Runnable onClose;

    private final AtomicBoolean pending = new AtomicBoolean();

    private final AtomicBoolean draining = new AtomicBoolean();

    private volatile boolean closed;

    private long lastSent;

    /**
     * @param lastEventId the sequence the client already has (Last-Event-ID), or -1 for a new stream, which starts
     *                    with the current snapshot
     */
    JobStreamClient(UUID jobId, SseEmitter emitter, long lastEventId, JobQueries queries, JsonMapper jsonMapper,
            Runnable onClose) {
        this.jobId = jobId;
        this.emitter = emitter;
        this.lastSent = lastEventId;
        this.queries = queries;
        this.jsonMapper = jsonMapper;
        this.onClose = onClose;
    }

    UUID jobId() {
        return jobId;
    }

    void wake(Executor senders) {
        pending.set(true);
        if (!closed && draining.compareAndSet(false, true)) {
            senders.execute(() -> drain(senders));
        }
    }

    void heartbeat() {
        if (closed) {
            return;
        }
        try {
            emitter.send(SseEmitter.event().comment("heartbeat"));
        }
        catch (IOException | IllegalStateException ex) {
            close();
        }
    }

    void close() {
        if (!closed) {
            closed = true;
            onClose.run();
            endResponse(emitter::complete);
        }
    }

    /** Ends the response, unless the container ended it first because the client went away. */
    private static void endResponse(Runnable completion) {
        try {
            completion.run();
        }
        catch (IllegalStateException alreadyEnded) {
            // Nothing is left to complete.
        }
    }

    /** The progress answer with the history entry added as {@code event}. */
    private String withEvent(String progressJson, JobHistoryEntry entry) {
        return progressJson.substring(0, progressJson.lastIndexOf('}')) + ",\"event\":"
                + jsonMapper.writeValueAsString(entry) + "}";
    }

    private void drain(Executor senders) {
        try {
            while (!closed && pending.getAndSet(false)) {
                sendWhatIsNew();
            }
        }
        catch (IOException | IllegalStateException ex) {
            close();
        }
        catch (RuntimeException ex) {
            closed = true;
            onClose.run();
            endResponse(() -> emitter.completeWithError(ex));
        }
        finally {
            draining.set(false);
            if (pending.get() && !closed && draining.compareAndSet(false, true)) {
                senders.execute(() -> drain(senders));
            }
        }
    }

    private void sendWhatIsNew() throws IOException {
        List<JobHistoryEntry> entries = queries.historyAfter(jobId, Math.max(lastSent, -1));
        Optional<StoredProgress> progress = queries.storedProgress(jobId);
        if (progress.isEmpty()) {
            close();
            return;
        }
        if (lastSent < 0 && !entries.isEmpty()) {
            entries = entries.subList(entries.size() - 1, entries.size());
        }
        JobHistoryEntry lastEntry = null;
        String progressJson = jsonMapper.writeValueAsString(progress.get());
        for (JobHistoryEntry entry : entries) {
            emitter.send(SseEmitter.event()
                    .id(Long.toString(entry.sequence()))
                    .name("progress")
                    .data(withEvent(progressJson, entry)));
            lastSent = entry.sequence();
            lastEntry = entry;
        }
        boolean ended = JobStatus.of(progress.get().status()).isTerminal();
        boolean lastWasTheEnd = lastEntry != null ? JobEvent.FINISHED.equals(lastEntry.type())
                : lastSent >= progress.get().version();
        if (ended && lastWasTheEnd && lastSent >= progress.get().version()) {
            close();
        }
    }
}
