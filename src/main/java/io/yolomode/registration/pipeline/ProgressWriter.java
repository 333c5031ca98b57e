package io.yolomode.registration.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import io.yolomode.registration.queue.HistoryEntry;
import io.yolomode.registration.queue.JobLease;
import io.yolomode.registration.queue.JobQueue;
import io.yolomode.registration.queue.LeaseLostException;
import io.yolomode.registration.queue.QueueConnections;
import io.yolomode.registration.progress.ProgressDocument;
import lombok.extern.slf4j.Slf4j;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Writes the progress of every job this instance runs, on one thread and one connection
 * of its own: the writes that wait while a commit is under way go together in the next
 * one ({@link JobQueue#writeProgressTogether}), each still fenced by its own lease. Every
 * write notifies (V7: once per job and statement) and PostgreSQL commits notifying
 * transactions one at a time, flush included, so a commit per write would cap the
 * instance at one write per flush; under load a commit carries as many writes as have
 * queued, and alone a write is committed at once, as before.
 * <p>
 * A caller waits until its write is committed, as if it wrote itself: an interrupt does
 * not cut the wait short (the write goes on regardless) and is kept for the caller. A
 * write whose lease is gone fails alone; when a shared commit fails, each of its writes
 * is tried again alone, so that a caller only sees its own write's failure.
 * <p>
 * The writer is never held for long: its connection's statements give up on a row lock
 * after {@link ProgressWriterProperties#lockTimeout()} and on the whole statement after
 * {@link ProgressWriterProperties#statementTimeout()} (the caller's write fails as after
 * any transient database failure, and the run tries again), and a write the writer has
 * not taken within {@link ProgressWriterProperties#queueWait()} is taken back and written
 * by its caller on the main pool, within the same timeouts. After shutdown began, callers
 * write themselves.
 */
@Slf4j
@Component
class ProgressWriter implements DisposableBean {

    /**
     * Well above the jobs an instance runs at once by default (8, each with one write
     * under way at most); a longer queue goes on in the next commit, so that one commit's
     * locks and length stay bounded.
     */
    static final int MAX_WRITES_PER_COMMIT = 64;

    /** The statements, apart so that the grouping can be checked without a database. */
    interface Store extends AutoCloseable {

        /**
         * The caller's own write, on the main pool, with the writer's timeouts.
         * @throws LeaseLostException when the lease is no longer the job's
         */
        long writeAlone(JobQueue.ProgressWrite write);

        /**
         * Each write's new version in the order given, null where the lease was gone; one
         * commit for all, on the writer's own connection.
         */
        List<Long> writeTogether(List<JobQueue.ProgressWrite> writes);

        @Override
        default void close() {
        }

    }

    private record Pending(JobQueue.ProgressWrite write, CompletableFuture<Long> version) {
    }

    private static final Pending CLOSE = new Pending(null, null);

    private final Store store;

    private final Duration queueWait;

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

    private final Thread writer;

    private volatile boolean closed;

    /** Whether a caller took its write back since the writer last committed. */
    private volatile boolean takenBack;

    @Autowired
    ProgressWriter(JobQueue store, DataSource dataSource, ProgressWriterProperties properties) {
        this(new Store() {

            private final QueueConnections.Timeouts timeouts = new QueueConnections.Timeouts(properties.lockTimeout(),
                    properties.statementTimeout());

            private final QueueConnections connections = new QueueConnections(dataSource, "registration-progress", 1,
                    properties.statementTimeout(), timeouts);

            @Override
            public long writeAlone(JobQueue.ProgressWrite write) {
                return store.writeProgress(write, timeouts);
            }

            @Override
            public List<Long> writeTogether(List<JobQueue.ProgressWrite> writes) {
                return store.writeProgressTogether(writes, connections);
            }

            @Override
            public void close() {
                connections.close();
            }
        }, properties.queueWait());
    }

    ProgressWriter(Store store, Duration queueWait) {
        this.store = store;
        this.queueWait = queueWait;
        this.writer = new Thread(this::writeWhatQueues, "registration-progress-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Writes the document with the history entries of the transitions that led to it, as
     * {@link JobQueue#writeProgress} does, and answers the job's new version once it is
     * committed.
     * @throws LeaseLostException when the lease is no longer the job's
     */
    long write(JobLease lease, ProgressDocument document, List<HistoryEntry> events) {
        return write(new JobQueue.ProgressWrite(lease, document, List.copyOf(events)));
    }

    /**
     * As {@link #write(JobLease, ProgressDocument, List)}, the write as given (its
     * document maybe serialised).
     */
    long write(JobQueue.ProgressWrite write) {
        if (closed) {
            return store.writeAlone(write);
        }
        Pending pending = new Pending(write, new CompletableFuture<>());
        queue.add(pending);
        if (closed && queue.remove(pending)) {
            return store.writeAlone(write);
        }
        return committed(pending);
    }

    /** Writes queued so far and not yet taken by the writer; for tests. */
    int queued() {
        return queue.size();
    }

    /**
     * Waits for the writer, first at most the queue wait for it to take the write (else
     * the caller writes it), then until the writer's bounded statements end.
     */
    private long committed(Pending pending) {
        boolean interrupted = false;
        long takeBackAt = System.nanoTime() + queueWait.toNanos();
        boolean mayTakeBack = true;
        try {
            while (true) {
                try {
                    if (!mayTakeBack) {
                        return pending.version().get();
                    }
                    long left = takeBackAt - System.nanoTime();
                    if (left > 0) {
                        return pending.version().get(left, TimeUnit.NANOSECONDS);
                    }
                    mayTakeBack = false;
                    if (queue.remove(pending)) {
                        if (!takenBack) {
                            takenBack = true;
                            log.warn("The progress writer did not take a write within {}; runs write themselves "
                                    + "until it commits again", queueWait);
                        }
                        return store.writeAlone(pending.write());
                    }
                }
                catch (TimeoutException ex) {
                    // the queue wait is over: take the write back unless the writer has
                    // it
                }
                catch (InterruptedException ex) {
                    interrupted = true;
                }
                catch (ExecutionException ex) {
                    if (ex.getCause() instanceof RuntimeException failure) {
                        throw failure;
                    }
                    if (ex.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException(ex.getCause());
                }
            }
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void writeWhatQueues() {
        List<Pending> batch = new ArrayList<>();
        boolean closing = false;
        while (!closing) {
            try {
                batch.add(queue.take());
            }
            catch (InterruptedException ex) {
                break;
            }
            queue.drainTo(batch, MAX_WRITES_PER_COMMIT - 1);
            closing = batch.remove(CLOSE);
            try {
                writeTogether(batch);
            }
            catch (Throwable ex) {
                batch.forEach(pending -> pending.version().completeExceptionally(ex));
            }
            batch.clear();
        }
        for (Pending left = queue.poll(); left != null; left = queue.poll()) {
            if (left != CLOSE) {
                commitAlone(left);
            }
        }
    }

    private void writeTogether(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (batch.size() == 1) {
            commitAlone(batch.get(0));
            return;
        }
        List<Long> versions;
        try {
            versions = store.writeTogether(batch.stream().map(Pending::write).toList());
        }
        catch (RuntimeException ex) {
            log.debug("A shared commit of {} progress writes failed ({}); writing each alone", batch.size(),
                    ex.toString());
            batch.forEach(this::commitAlone);
            return;
        }
        takenBack = false;
        for (int index = 0; index < batch.size(); index++) {
            complete(batch.get(index), versions.get(index));
        }
    }

    /** One write in a commit of its own, on the writer's connection. */
    private void commitAlone(Pending pending) {
        try {
            complete(pending, store.writeTogether(List.of(pending.write())).get(0));
            takenBack = false;
        }
        catch (Throwable ex) {
            pending.version().completeExceptionally(ex);
        }
    }

    private static void complete(Pending pending, Long version) {
        if (version == null) {
            pending.version().completeExceptionally(new LeaseLostException(pending.write().lease()));
        }
        else {
            pending.version().complete(version);
        }
    }

    /** Writes what was queued before, then lets callers write themselves. */
    @Override
    public void destroy() throws InterruptedException {
        closed = true;
        queue.add(CLOSE);
        writer.join(TimeUnit.SECONDS.toMillis(10));
        store.close();
    }

}
