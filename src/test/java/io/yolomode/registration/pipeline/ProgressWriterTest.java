package io.yolomode.registration.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.yolomode.registration.queue.HistoryEntry;
import io.yolomode.registration.queue.JobLease;
import io.yolomode.registration.queue.JobQueue;
import io.yolomode.registration.queue.LeaseLostException;
import io.yolomode.registration.progress.SubStepProgress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * How {@link ProgressWriter} groups writes into commits, without a database: writes that
 * queue while a commit is under way share the next one; each caller still gets its own
 * outcome (a lost lease, a failed write) and no other's; a caller interrupted while it
 * waits still has its write done.
 */
class ProgressWriterTest {

    /**
     * Stands in for the statements: records which writes went alone and which together.
     */
    static final class RecordingStore implements ProgressWriter.Store {

        /** The writer's commits, each with the writes it carried. */
        final List<List<JobLease>> commits = Collections.synchronizedList(new ArrayList<>());

        /** The writes that callers made themselves. */
        final List<JobLease> callerWrites = Collections.synchronizedList(new ArrayList<>());

        final CountDownLatch firstCommitHeld = new CountDownLatch(1);

        final CountDownLatch releaseFirstCommit = new CountDownLatch(1);

        final AtomicBoolean holdFirst = new AtomicBoolean();

        volatile JobLease lost;

        volatile JobLease failing;

        @Override
        public long writeAlone(JobQueue.ProgressWrite write) {
            callerWrites.add(write.lease());
            if (write.lease().equals(lost)) {
                throw new LeaseLostException(write.lease());
            }
            if (write.lease().equals(failing)) {
                throw new IllegalStateException("this write cannot be stored");
            }
            return write.lease().attempt() * 10L;
        }

        @Override
        public List<Long> writeTogether(List<JobQueue.ProgressWrite> writes) {
            holdIfFirst();
            if (writes.stream().anyMatch(write -> write.lease().equals(failing))) {
                throw new IllegalStateException(
                        writes.size() == 1 ? "this write cannot be stored" : "the shared commit failed");
            }
            commits.add(writes.stream().map(JobQueue.ProgressWrite::lease).toList());
            return writes.stream()
                .map(write -> write.lease().equals(lost) ? null : write.lease().attempt() * 10L)
                .toList();
        }

        private void holdIfFirst() {
            if (holdFirst.compareAndSet(true, false)) {
                firstCommitHeld.countDown();
                try {
                    releaseFirstCommit.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }

    }

    final RecordingStore store = new RecordingStore();

    final ProgressWriter writer = new ProgressWriter(store, Duration.ofSeconds(30));

    @AfterEach
    void closeWriter() throws InterruptedException {
        store.releaseFirstCommit.countDown();
        writer.destroy();
    }

    @Test
    void writesThatQueueWhileACommitIsUnderWayShareTheNextCommit() throws Exception {
        store.holdFirst.set(true);
        CompletableFuture<Long> first = writeOnAnotherThread(lease(1));
        assertThat(store.firstCommitHeld.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Long>> queued = List.of(writeOnAnotherThread(lease(2)), writeOnAnotherThread(lease(3)),
                writeOnAnotherThread(lease(4)));
        await().until(() -> writer.queued() == 3);

        store.releaseFirstCommit.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(10L);
        assertThat(queued.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(20L);
        assertThat(queued.get(1).get(10, TimeUnit.SECONDS)).isEqualTo(30L);
        assertThat(queued.get(2).get(10, TimeUnit.SECONDS)).isEqualTo(40L);
        assertThat(store.commits).hasSize(2);
        assertThat(store.commits.get(0)).containsExactly(lease(1));
        assertThat(store.commits.get(1)).containsExactlyInAnyOrder(lease(2), lease(3), lease(4));
    }

    @Test
    void aLostLeaseInASharedCommitFailsOnlyItsOwnWrite() throws Exception {
        store.lost = lease(3);
        store.holdFirst.set(true);
        CompletableFuture<Long> first = writeOnAnotherThread(lease(1));
        assertThat(store.firstCommitHeld.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Long> kept = writeOnAnotherThread(lease(2));
        CompletableFuture<Long> lost = writeOnAnotherThread(lease(3));
        await().until(() -> writer.queued() == 2);

        store.releaseFirstCommit.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(10L);
        assertThat(kept.get(10, TimeUnit.SECONDS)).isEqualTo(20L);
        assertThatThrownBy(() -> lost.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(LeaseLostException.class);
        assertThat(store.commits.get(1)).containsExactlyInAnyOrder(lease(2), lease(3));
    }

    @Test
    void whenASharedCommitFailsEachWriteIsTriedAloneAndOnlyTheBadOneFails() throws Exception {
        store.failing = lease(3);
        store.holdFirst.set(true);
        CompletableFuture<Long> first = writeOnAnotherThread(lease(1));
        assertThat(store.firstCommitHeld.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Long> good = writeOnAnotherThread(lease(2));
        CompletableFuture<Long> bad = writeOnAnotherThread(lease(3));
        await().until(() -> writer.queued() == 2);

        store.releaseFirstCommit.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(10L);
        assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo(20L);
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(IllegalStateException.class)
            .hasRootCauseMessage("this write cannot be stored");
    }

    @Test
    void anInterruptedCallerStillHasItsWriteCommittedAndKeepsTheInterrupt() throws Exception {
        store.holdFirst.set(true);
        CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
        CompletableFuture<Long> version = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                version.complete(writer.write(lease(5), null, List.of(event())));
                interruptKept.complete(Thread.currentThread().isInterrupted());
            }
            catch (RuntimeException ex) {
                version.completeExceptionally(ex);
            }
        });
        caller.start();
        assertThat(store.firstCommitHeld.await(10, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        await()
            .until(() -> caller.getState() == Thread.State.TIMED_WAITING || caller.getState() == Thread.State.WAITING);
        assertThat(version).isNotDone();

        store.releaseFirstCommit.countDown();

        assertThat(version.get(10, TimeUnit.SECONDS)).isEqualTo(50L);
        assertThat(interruptKept.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void afterShutdownCallersWriteThemselves() throws Exception {
        writer.destroy();

        assertThat(writer.write(lease(6), null, List.of(event()))).isEqualTo(60L);
        assertThat(store.callerWrites).containsExactly(lease(6));
        assertThat(store.commits).isEmpty();
    }

    @Test
    void aWriteTheWriterDoesNotTakeWithinTheQueueWaitIsWrittenByItsCallerOnce() throws Exception {
        ProgressWriter impatient = new ProgressWriter(store, Duration.ofMillis(200));
        try {
            store.holdFirst.set(true);
            CompletableFuture<Long> held = writeOnAnotherThread(impatient, lease(1));
            assertThat(store.firstCommitHeld.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Long> next = writeOnAnotherThread(impatient, lease(2));

            assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo(20L);
            assertThat(held).isNotDone();
            assertThat(store.callerWrites).containsExactly(lease(2));
            assertThat(impatient.queued()).isZero();
            store.releaseFirstCommit.countDown();
            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(10L);
            assertThat(store.commits).containsExactly(List.of(lease(1)));
        }
        finally {
            impatient.destroy();
        }
    }

    private CompletableFuture<Long> writeOnAnotherThread(JobLease lease) {
        return writeOnAnotherThread(writer, lease);
    }

    private static CompletableFuture<Long> writeOnAnotherThread(ProgressWriter writer, JobLease lease) {
        CompletableFuture<Long> version = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                version.complete(writer.write(lease, null, List.of(event())));
            }
            catch (RuntimeException ex) {
                version.completeExceptionally(ex);
            }
        });
        thread.setDaemon(true);
        thread.start();
        return version;
    }

    private static JobLease lease(int attempt) {
        return new JobLease(new UUID(0, attempt), "instance-a", attempt);
    }

    private static HistoryEntry event() {
        return HistoryEntry.subStep("codeGeneration", SubStepProgress.pending());
    }

}
