package io.yolomode.registration.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.yolomode.registration.job.FormData;
import io.yolomode.registration.progress.ProgressDocuments;
import io.yolomode.registration.progress.ProgressLayout;
import io.yolomode.registration.progress.SubStepProgress;
import io.yolomode.registration.progress.SubStepStatus;
import io.yolomode.registration.queue.HistoryEntry;
import io.yolomode.registration.queue.JobLease;
import io.yolomode.registration.queue.JobQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A call's start is written behind: straight through the writer's queue when no write of
 * the job is under way, by a write-behind thread otherwise, and every transition is
 * written once, in order, even when a start's write failed.
 */
class JobRunWriteBehindTest {

    /**
     * Stands in for the statements: records the history entries of each write that was
     * committed.
     */
    static final class RecordingStore implements ProgressWriter.Store {

        final List<List<String>> committed = Collections.synchronizedList(new ArrayList<>());

        final AtomicInteger attempts = new AtomicInteger();

        final AtomicBoolean failNext = new AtomicBoolean();

        final AtomicBoolean holdNext = new AtomicBoolean();

        final CountDownLatch held = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public long writeAlone(JobQueue.ProgressWrite write) {
            attempts.incrementAndGet();
            if (holdNext.compareAndSet(true, false)) {
                held.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failNext.compareAndSet(true, false)) {
                throw new IllegalStateException("this write cannot be stored");
            }
            committed.add(write.entries().stream().map(entry -> entry.subStep() + ":" + entry.status()).toList());
            return committed.size();
        }

        @Override
        public List<Long> writeTogether(List<JobQueue.ProgressWrite> writes) {
            return writes.stream().map(this::writeAlone).toList();
        }

    }

    /** Runs what it is given on a thread of its own, counting. */
    static final class CountingExecutor implements Executor {

        final AtomicInteger used = new AtomicInteger();

        @Override
        public void execute(Runnable command) {
            used.incrementAndGet();
            new Thread(command, "test-write-behind").start();
        }

    }

    final RecordingStore store = new RecordingStore();

    final ProgressWriter writer = new ProgressWriter(store);

    final CountingExecutor writeBehind = new CountingExecutor();

    final JobRun run = new JobRun(new JobLease(UUID.randomUUID(), "instance-a", 1), null, writer,
            new JobQueue.RunSnapshot(UUID.randomUUID(), UUID.randomUUID(), FormData.empty(), null,
                    new JobQueue.RunSnapshot.RestaurantRow(UUID.randomUUID(), "Bistro", "b@example.com", null, null,
                            null, null)),
            writeBehind,
            new ProgressDocuments(
                    new ProgressLayout(List.of(new ProgressLayout.Phase("phase1", "Set up", List.of("a", "b"))))),
            JsonMapper.builder().build());

    @AfterEach
    void closeWriter() throws InterruptedException {
        store.release.countDown();
        writer.destroy();
    }

    @Test
    void aCallsStartGoesStraightToTheWritersQueue() {
        run.transitionWrittenBehind("a", SubStepProgress.started(1L));

        await().atMost(Duration.ofSeconds(10)).until(() -> store.committed.size() == 1);
        assertThat(store.committed).containsExactly(List.of("a:in_progress"));
        assertThat(writeBehind.used).hasValue(0);
    }

    @Test
    void aQuickCallsOutcomeGoesInItsStartsWriteWhenTheWriterTakesItLate() throws InterruptedException {
        store.holdNext.set(true);
        Thread otherJob = new Thread(() -> writer.write(new JobLease(UUID.randomUUID(), "instance-a", 1),
                run.document(), List.of(HistoryEntry.subStep("b", SubStepProgress.skipped(1L, "other job")))));
        otherJob.start();
        assertThat(store.held.await(10, TimeUnit.SECONDS)).isTrue();
        run.transitionWrittenBehind("a", SubStepProgress.started(1L));
        Thread outcome = new Thread(() -> run.transition("a", SubStepProgress.completed(1L, 2L, 1, null)));
        outcome.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> run.subStep("a").status() == SubStepStatus.COMPLETED);

        store.release.countDown();
        outcome.join(TimeUnit.SECONDS.toMillis(10));
        otherJob.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(store.committed).containsExactly(List.of("b:skipped"), List.of("a:in_progress", "a:completed"));
    }

    @Test
    void aStartWhoseWriteFailedIsWrittenWithTheCallsOutcome() {
        store.failNext.set(true);
        run.transitionWrittenBehind("a", SubStepProgress.started(1L));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.attempts.get() == 1);

        run.transition("a", SubStepProgress.completed(1L, 2L, 1, null));

        assertThat(store.committed).containsExactly(List.of("a:in_progress", "a:completed"));
    }

    @Test
    void aStartWhileAWriteOfTheJobIsUnderWayWaitsForItOnAWriteBehindThread() throws InterruptedException {
        store.holdNext.set(true);
        Thread outcome = new Thread(() -> run.transition("a", SubStepProgress.skipped(1L, "not requested")));
        outcome.start();
        assertThat(store.held.await(10, TimeUnit.SECONDS)).isTrue();

        run.transitionWrittenBehind("b", SubStepProgress.started(2L));
        assertThat(writeBehind.used).hasValue(1);
        store.release.countDown();
        outcome.join(TimeUnit.SECONDS.toMillis(10));

        await().atMost(Duration.ofSeconds(10)).until(() -> store.committed.size() == 2);
        assertThat(store.committed).containsExactly(List.of("a:skipped"), List.of("b:in_progress"));
    }

}
