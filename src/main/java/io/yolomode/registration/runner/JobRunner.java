package io.yolomode.registration.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.yolomode.registration.live.DatabaseNotifications;
import io.yolomode.registration.queue.ClaimedJob;
import io.yolomode.registration.queue.JobQueue;
import io.yolomode.registration.job.RegistrationMetrics;
import io.yolomode.registration.pipeline.RunOutcome;
import io.yolomode.registration.pipeline.RunSignals;
import io.yolomode.registration.queue.NotificationChannels;
import io.yolomode.registration.queue.RunnerWakeUp;
import lombok.extern.slf4j.Slf4j;

import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Takes runnable jobs from the database and runs them, at most
 * {@code max-concurrent-jobs} at a time: right after a job is queued here, when another
 * instance queues or hands back one (NOTIFY), on every poll, and whenever a run ends.
 * Renews the leases of what it runs in one statement, on a thread of its own so that no
 * claim delays it, and interrupts a run whose lease is gone. On shutdown it claims
 * nothing more, lets running sub-steps end within the grace period, and hands the rest
 * back at once.
 * <p>
 * It also keeps what readiness and the gauges report, so that neither queries per probe
 * or scrape: when a claim pass and a renewal last worked, and the backlog as last read
 * (every {@code backlog-refresh-interval}, also on an instance that does not run jobs).
 */
@Slf4j
@Component
public class JobRunner implements SmartLifecycle {

    private final JobQueue queue;

    private final JobExecution execution;

    private final RunnerProperties properties;

    private final String owner;

    private final Map<UUID, RunningJob> running = new ConcurrentHashMap<>();

    private final AtomicBoolean accepting = new AtomicBoolean();

    private final AtomicBoolean wakeRequested = new AtomicBoolean();

    private final AtomicInteger peakRunning = new AtomicInteger();

    private final AtomicReference<@Nullable Instant> lastClaim = new AtomicReference<>();

    private final AtomicReference<Instant> lastRenewal = new AtomicReference<>(Instant.EPOCH);

    private final AtomicReference<@Nullable ObservedBacklog> backlog = new AtomicReference<>();

    private volatile boolean observing;

    private final DatabaseNotifications notifications;

    private final RegistrationMetrics metrics;

    private final Clock clock;

    private ScheduledExecutorService timer;

    private ScheduledExecutorService renewer;

    JobRunner(JobQueue queue, JobExecution execution, RunnerProperties properties, InstanceId instanceId,
            DatabaseNotifications notifications, RegistrationMetrics metrics, Clock clock) {
        this.queue = queue;
        this.execution = execution;
        this.properties = properties;
        this.owner = instanceId.value();
        this.notifications = notifications;
        this.metrics = metrics;
        this.clock = clock;
        notifications.subscribe(NotificationChannels.JOB_QUEUED, payload -> wake());
        notifications.subscribe(NotificationChannels.CANCEL_REQUESTED, payload -> {
            if (!payload.isEmpty()) {
                cancel(UUID.fromString(payload));
            }
        });
    }

    /**
     * Aborts this instance's run of the job, if it has one; the run then ends the job as
     * cancelled.
     */
    void cancel(UUID jobId) {
        RunningJob job = running.get(jobId);
        if (job != null && !job.cancelRequested) {
            log.info("Cancelling the run of job {}", jobId);
            job.cancelRequested = true;
            job.interrupt();
        }
    }

    @Override
    public synchronized void start() {
        if (accepting.get() || observing) {
            return;
        }
        timer = singleThread("registration-runner");
        timer.scheduleWithFixedDelay(this::refreshBacklog, 0, properties.backlogRefreshInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        if (!properties.enabled()) {
            observing = true;
            return;
        }
        renewer = singleThread("registration-lease-renewer");
        accepting.set(true);
        timer.scheduleWithFixedDelay(this::claimAvailable, 0, properties.pollInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        renewer.scheduleWithFixedDelay(this::renewLeases, properties.leaseRenewInterval().toMillis(),
                properties.leaseRenewInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Runner {} started: up to {} jobs at once", owner, properties.maxConcurrentJobs());
    }

    private static ScheduledExecutorService singleThread(String name) {
        return Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void stop() {
        stop(() -> {
        });
    }

    @Override
    public void stop(Runnable callback) {
        if (observing) {
            observing = false;
            timer.shutdownNow();
        }
        if (!accepting.getAndSet(false)) {
            callback.run();
            return;
        }
        running.values().forEach(job -> job.draining = true);
        Thread stopper = new Thread(() -> {
            try {
                drain();
            }
            finally {
                timer.shutdownNow();
                renewer.shutdownNow();
                callback.run();
            }
        }, "registration-runner-stop");
        stopper.start();
    }

    /**
     * Stops before the web server, so that polls are still answered while jobs are handed
     * back.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }

    @Override
    public boolean isRunning() {
        return accepting.get() || observing;
    }

    /**
     * Tells every instance, inside the queuing transaction, so that the notification goes
     * out exactly when the job becomes visible; an instance with no room leaves it to the
     * others.
     */
    @EventListener
    void announce(RunnerWakeUp wakeUp) {
        notifications.notify(NotificationChannels.JOB_QUEUED, wakeUp.payload());
    }

    /**
     * Claims soon here once the queuing transaction has committed. No database work
     * happens in this callback: the committed transaction's connection is still bound to
     * the thread.
     */
    @TransactionalEventListener(fallbackExecution = true)
    void onWakeUp(RunnerWakeUp wakeUp) {
        wake();
    }

    public void wake() {
        ScheduledExecutorService current = timer;
        if (accepting.get() && current != null && wakeRequested.compareAndSet(false, true)) {
            try {
                current.execute(() -> {
                    wakeRequested.set(false);
                    claimAvailable();
                });
            }
            catch (java.util.concurrent.RejectedExecutionException ex) {
                wakeRequested.set(false);
            }
        }
    }

    public String owner() {
        return owner;
    }

    public Set<UUID> runningJobIds() {
        return Set.copyOf(running.keySet());
    }

    /** The most jobs this instance ever ran at once. */
    public int peakRunning() {
        return peakRunning.get();
    }

    public int capacity() {
        return properties.maxConcurrentJobs();
    }

    /**
     * When the last claim pass worked (its statement succeeded, or there was no room to
     * claim), or null when none has yet.
     */
    public @Nullable Instant lastSuccessfulClaim() {
        return lastClaim.get();
    }

    /**
     * When the leases of this instance's running jobs were last renewed (or there were
     * none to renew).
     */
    public Instant lastSuccessfulRenewal() {
        return lastRenewal.get();
    }

    /** The backlog as last read, or null when it could not be read yet. */
    public @Nullable ObservedBacklog backlog() {
        return backlog.get();
    }

    /** The cluster's queue as read at {@code at}. */
    public record ObservedBacklog(JobQueue.Backlog backlog, Instant at) {
    }

    public boolean isEnabled() {
        return properties.enabled();
    }

    void claimAvailable() {
        if (!accepting.get()) {
            return;
        }
        if (lastRenewal.get().isBefore(clock.instant().minus(properties.leaseRenewInterval().multipliedBy(2)))
                && !renewLeases()) {
            // after an outage, keep what this instance still runs before claiming expired
            // leases, its own included
            return;
        }
        try {
            int room = properties.maxConcurrentJobs() - running.size();
            if (room <= 0) {
                lastClaim.set(clock.instant());
                return;
            }
            long runningBatchJobs = running.values().stream().filter(job -> job.batch).count();
            int batchRoom = (int) Math.min(room,
                    properties.maxConcurrentJobs() - properties.reservedForSingleJobs() - runningBatchJobs);
            List<ClaimedJob> claimed = queue.claim(owner, room, batchRoom, properties.maxConcurrentJobsPerBatch(),
                    properties.leaseDuration());
            lastClaim.set(clock.instant());
            claimed.forEach(this::launch);
        }
        catch (RuntimeException ex) {
            log.warn("Claiming jobs failed: {}", NestedExceptionUtils.getMostSpecificCause(ex).getMessage());
        }
    }

    private void launch(ClaimedJob job) {
        UUID id = job.lease().jobId();
        RunningJob handle = new RunningJob(job.isBatchJob());
        RunningJob earlier = running.put(id, handle);
        peakRunning.accumulateAndGet(running.size(), Math::max);
        if (earlier != null) {
            // this instance's own earlier run lost the job (its lease ran out, say during
            // a database outage)
            earlier.stop();
        }
        Runnable whenDone = () -> {
            running.remove(id, handle);
            wake();
        };
        if (job.takeover()) {
            metrics.takenOver();
        }
        handle.future = job.takeoverCount() > properties.maxTakeovers()
                ? execution.failPoisoned(job, properties.maxTakeovers(), whenDone)
                : execution.execute(job, handle, handle::begin, whenDone);
    }

    /**
     * Renews on the renewer's thread, and on the claim thread after an outage; one
     * renewal at a time. Only the runs known when the statement was sent are judged by
     * its answer, since a claim may launch runs meanwhile.
     */
    synchronized boolean renewLeases() {
        Map<UUID, RunningJob> renewing = Map.copyOf(running);
        if (renewing.isEmpty()) {
            lastRenewal.set(clock.instant());
            return true;
        }
        try {
            Map<UUID, Boolean> held = queue.renew(owner, renewing.keySet(), properties.leaseDuration());
            lastRenewal.set(clock.instant());
            renewing.forEach((id, job) -> {
                if (!held.containsKey(id) && running.get(id) == job) {
                    log.warn("Lease on job {} is gone; stopping its run", id);
                    job.stop();
                }
                else if (Boolean.TRUE.equals(held.get(id))) {
                    cancel(id);
                }
            });
        }
        catch (RuntimeException ex) {
            log.warn("Renewing leases failed: {}", NestedExceptionUtils.getMostSpecificCause(ex).getMessage());
            return false;
        }
        return true;
    }

    private void refreshBacklog() {
        try {
            backlog.set(new ObservedBacklog(queue.backlog(), clock.instant()));
        }
        catch (RuntimeException ex) {
            log.debug("Reading the backlog failed: {}", NestedExceptionUtils.getMostSpecificCause(ex).getMessage());
        }
    }

    /**
     * Waits for the running sub-steps to end within the grace period (the renewer keeps
     * their leases meanwhile), then interrupts what is left; every stopped run hands its
     * job back as it ends.
     */
    private void drain() {
        long deadline = System.nanoTime() + properties.shutdownGrace().toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(50));
        }
        if (!running.isEmpty()) {
            log.info("Shutdown grace over; interrupting {} runs", running.size());
            running.values().forEach(RunningJob::interrupt);
            long hardDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!running.isEmpty() && System.nanoTime() < hardDeadline) {
                sleep(Duration.ofMillis(20));
            }
        }
        log.info("Runner {} stopped", owner);
    }

    private static void sleep(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private final class RunningJob implements RunSignals {

        private final boolean batch;

        private volatile boolean draining;

        private volatile boolean cancelRequested;

        private volatile @Nullable Future<RunOutcome> future;

        /** Set by the run as it begins: until then there is no thread to interrupt. */
        private final AtomicBoolean begun = new AtomicBoolean();

        /** The lease went before the run began: it must not begin. */
        private volatile boolean stopped;

        RunningJob(boolean batch) {
            this.batch = batch;
        }

        /**
         * Interrupts the run if it has begun. A run still queued for a thread is never
         * dropped from the queue (it would never end: its slot, its lease renewals and
         * its job would stay held); it sees the flags set before this when it begins.
         */
        void interrupt() {
            Future<RunOutcome> current = future;
            if (begun.get() && current != null) {
                current.cancel(true);
            }
        }

        /** The run must stop (or not begin): its lease is gone. */
        void stop() {
            stopped = true;
            interrupt();
        }

        /**
         * Called by the run as it begins; false when it must not (its lease went while it
         * waited for a thread).
         */
        boolean begin() {
            begun.set(true);
            return !stopped;
        }

        /**
         * Also true for a run launched while shutdown began, before its handle could be
         * marked.
         */
        @Override
        public boolean draining() {
            return draining || !accepting.get();
        }

        @Override
        public boolean cancelRequested() {
            return cancelRequested;
        }

    }

}
