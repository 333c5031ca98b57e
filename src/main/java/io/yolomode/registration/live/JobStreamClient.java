package io.yolomode.registration.live;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.yolomode.registration.progress.StoredProgress;
import io.yolomode.registration.query.HistoryEntryView;
import io.yolomode.registration.query.JobQueries;
import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.queue.HistoryEntryType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open event stream of one job. It remembers only the last sequence it sent; when
 * told that the job changed it reads the history entries after that sequence and the
 * current progress from the database and sends one {@code progress} event per entry.
 * Every write to the client (events and heartbeats) runs on the hub's pool, one drain at
 * a time per client, so a client that stops reading holds at most one thread and never
 * anyone else's. While a write is under way its start time is visible to the hub, which
 * drops the client when it takes too long.
 */
final class JobStreamClient {

    private final UUID jobId;

    private final String caller;

    private final SseEmitter emitter;

    private final JobQueries queries;

    private final JsonMapper jsonMapper;

    private final Consumer<JobStreamClient> onClose;

    private final AtomicBoolean changed = new AtomicBoolean();

    private final AtomicBoolean heartbeatDue = new AtomicBoolean();

    private final AtomicBoolean draining = new AtomicBoolean();

    private final AtomicBoolean released = new AtomicBoolean();

    private final AtomicBoolean responseEnded = new AtomicBoolean();

    private volatile boolean closed;

    /** {@link System#nanoTime()} when the write under way began; 0 while none is. */
    private volatile long writeStartedAt;

    private long lastSent;

    /**
     * @param caller who opened the stream (organisation and token subject), for the
     * per-caller limit
     * @param lastEventId the sequence the client already has (Last-Event-ID), or -1 for a
     * new stream, which starts with the current snapshot
     * @param onClose told once when the stream no longer counts (ended, failed or
     * dropped)
     */
    JobStreamClient(UUID jobId, String caller, SseEmitter emitter, long lastEventId, JobQueries queries,
            JsonMapper jsonMapper, Consumer<JobStreamClient> onClose) {
        this.jobId = jobId;
        this.caller = caller;
        this.emitter = emitter;
        this.lastSent = lastEventId;
        this.queries = queries;
        this.jsonMapper = jsonMapper;
        this.onClose = onClose;
    }

    UUID jobId() {
        return jobId;
    }

    String caller() {
        return caller;
    }

    void wake(Executor senders) {
        changed.set(true);
        schedule(senders);
    }

    void heartbeat(Executor senders) {
        heartbeatDue.set(true);
        schedule(senders);
    }

    /**
     * Whether a write to this client has been under way for longer than the given time.
     */
    boolean writeStalledLongerThan(long nanos, long now) {
        long started = writeStartedAt;
        return started != 0 && now - started > nanos;
    }

    /**
     * Stops serving a client that does not read: it stops counting at once; its response
     * ends (and the connection closes) when the write it is stuck in fails or returns.
     */
    void drop() {
        closed = true;
        release();
    }

    void close() {
        closed = true;
        release();
        endResponse(emitter::complete);
    }

    /**
     * The stream no longer counts; called when the container ended the response first.
     */
    void release() {
        if (released.compareAndSet(false, true)) {
            onClose.accept(this);
        }
    }

    private void schedule(Executor senders) {
        if (!closed && draining.compareAndSet(false, true)) {
            try {
                senders.execute(() -> drain(senders));
            }
            catch (RejectedExecutionException ex) {
                draining.set(false);
                close();
            }
        }
    }

    /**
     * Ends the response once, unless the container ended it first because the client went
     * away.
     */
    private void endResponse(Runnable completion) {
        if (responseEnded.compareAndSet(false, true)) {
            try {
                completion.run();
            }
            catch (IllegalStateException alreadyEnded) {
                // Nothing is left to complete.
            }
        }
    }

    /** The progress answer with the history entry added as {@code event}. */
    private String withEvent(String progressJson, HistoryEntryView entry) {
        return progressJson.substring(0, progressJson.lastIndexOf('}')) + ",\"event\":"
                + jsonMapper.writeValueAsString(entry) + "}";
    }

    private void drain(Executor senders) {
        try {
            while (!closed) {
                if (changed.getAndSet(false)) {
                    sendWhatIsNew();
                }
                else if (heartbeatDue.getAndSet(false)) {
                    send(SseEmitter.event().comment("heartbeat"));
                }
                else {
                    break;
                }
            }
        }
        catch (IOException | IllegalStateException ex) {
            close();
        }
        catch (RuntimeException ex) {
            closed = true;
            release();
            endResponse(() -> emitter.completeWithError(ex));
        }
        finally {
            if (closed) {
                // A dropped client's response ends here, once the write it was stuck in
                // has let go.
                endResponse(emitter::complete);
            }
            draining.set(false);
            if ((changed.get() || heartbeatDue.get()) && !closed) {
                schedule(senders);
            }
        }
    }

    private void send(SseEmitter.SseEventBuilder event) throws IOException {
        writeStartedAt = Math.max(1, System.nanoTime());
        try {
            emitter.send(event);
        }
        finally {
            writeStartedAt = 0;
        }
    }

    private void sendWhatIsNew() throws IOException {
        List<HistoryEntryView> entries = queries.historyAfter(jobId, Math.max(lastSent, -1));
        Optional<StoredProgress> progress = queries.storedProgress(jobId);
        if (progress.isEmpty()) {
            close();
            return;
        }
        if (lastSent < 0 && !entries.isEmpty()) {
            entries = entries.subList(entries.size() - 1, entries.size());
        }
        HistoryEntryView lastEntry = null;
        String progressJson = jsonMapper.writeValueAsString(progress.get());
        for (HistoryEntryView entry : entries) {
            if (closed) {
                return;
            }
            send(SseEmitter.event()
                .id(Long.toString(entry.sequence()))
                .name("progress")
                .data(withEvent(progressJson, entry)));
            lastSent = entry.sequence();
            lastEntry = entry;
        }
        boolean ended = JobStatus.of(progress.get().status()).isTerminal();
        boolean lastWasTheEnd = lastEntry != null ? HistoryEntryType.JOB_FINISHED.text().equals(lastEntry.type())
                : lastSent >= progress.get().version();
        if (ended && lastWasTheEnd && lastSent >= progress.get().version()) {
            close();
        }
    }

}
