package io.yolomode.registration.events;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import io.yolomode.registration.job.JobEvent;
import io.yolomode.registration.job.JobHistoryEntry;
import io.yolomode.registration.job.JobProgressView;
import io.yolomode.registration.job.JobQueries;
import io.yolomode.registration.job.JobStatus;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open event stream of one job. It remembers only the last sequence it sent; when told that the job changed
 * it reads the history entries after that sequence and the current progress from the database and sends one
 * {@code progress} event per entry. Sending runs on the hub's pool, one drain at a time per client.
 */
final class JobStreamClient {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

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
            emitter.complete();
        }
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
            emitter.completeWithError(ex);
            closed = true;
            onClose.run();
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
        Optional<JobProgressView> progress = queries.progress(jobId);
        if (progress.isEmpty()) {
            close();
            return;
        }
        if (lastSent < 0 && !entries.isEmpty()) {
            entries = entries.subList(entries.size() - 1, entries.size());
        }
        JobHistoryEntry lastEntry = null;
        for (JobHistoryEntry entry : entries) {
            Map<String, Object> data = new LinkedHashMap<>(jsonMapper.convertValue(progress.get(), JSON_OBJECT));
            data.put("event", entry);
            emitter.send(SseEmitter.event()
                    .id(Long.toString(entry.sequence()))
                    .name("progress")
                    .data(data, org.springframework.http.MediaType.APPLICATION_JSON));
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
