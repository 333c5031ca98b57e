package io.yolomode.registration.runner;

import java.time.Duration;
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

import io.yolomode.registration.events.DatabaseNotifications;
import io.yolomode.registration.job.ClaimedJob;
import io.yolomode.registration.job.JobQueuedEvent;
import io.yolomode.registration.job.JobStore;
import io.yolomode.registration.job.RegistrationMetrics;
import io.yolomode.registration.pipeline.RunOutcome;
import io.yolomode.registration.pipeline.RunSignals;
import lombok.extern.slf4j.Slf4j;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Takes runnable jobs from the database and runs them, at most {@code max-concurrent-jobs} at a time: right after
 * a job is queued here, when another instance queues or hands back one (NOTIFY), on every poll, and whenever a run
 * ends. Renews the leases of what it runs in one statement and interrupts a run whose lease is gone. On shutdown
 * it claims nothing more, lets running sub-steps end within the grace period, and hands the rest back at once.
 */
@Slf4j
@Component
public class JobRunner implements SmartLifecycle {

    /** The NOTIFY channel on which a job id is sent when the job becomes runnable. */
    public static final String QUEUED_CHANNEL = "registration_job_queued";

    /** The NOTIFY channel on which a job id is sent when someone asks to cancel the running job. */
    public static final String CANCEL_CHANNEL = "registration_job_cancel";

    private final JobStore store;

    private final JobExecution execution;

    private final RunnerProperties properties;

    private final String owner;

    private final Map<UUID, RunningJob> running = new ConcurrentHashMap<>();

    private final AtomicBoolean accepting = new AtomicBoolean();

    private final AtomicBoolean wakeRequested = new AtomicBoolean();

    private final AtomicInteger peakRunning = new AtomicInteger();

    private final AtomicReference<java.time.Instant> lastClaim = new AtomicReference<>();

    private final AtomicReference<java.time.Instant> lastRenewal = new AtomicReference<>(java.time.Instant.EPOCH);

    private final DatabaseNotifications notifications;

    private final RegistrationMetrics metrics;

    private ScheduledExecutorService timer;

    JobRunner(JobStore store, JobExecution execution, RunnerProperties properties, InstanceId instanceId,
            DatabaseNotifications notifications, RegistrationMetrics metrics) {
        this.store = store;
        this.execution = execution;
        this.properties = properties;
        this.owner = instanceId.value();
        this.notifications = notifications;
        this.metrics = metrics;
        notifications.subscribe(QUEUED_CHANNEL, payload -> wake());
        notifications.subscribe(CANCEL_CHANNEL, payload -> {
            if (!payload.isEmpty()) {
                cancel(UUID.fromString(payload));
            }
        });
    }

    /** Aborts this instance's run of the job, if it has one; the run then ends the job as cancelled. */
    void cancel(UUID jobId) {
        RunningJob job = running.get(jobId);
        if (job != null && !job.cancelRequested) {
            log.info("Cancelling the run of job {}", jobId);
            job.cancelRequested = true;
            if (job.future != null) {
                job.future.cancel(true);
            }
        }
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled() || accepting.get()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "registration-runner");
            thread.setDaemon(true);
            return thread;
        });
        accepting.set(true);
        timer.scheduleWithFixedDelay(this::claimAvailable, 0, properties.pollInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::renewLeases, properties.leaseRenewInterval().toMillis(),
                properties.leaseRenewInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Runner {} started: up to {} jobs at once", owner, properties.maxConcurrentJobs());
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    @Override
    public void stop(Runnable callback) {
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
                callback.run();
            }
        }, "registration-runner-stop");
        stopper.start();
    }

    /** Stops before the web server, so that polls are still answered while jobs are handed back. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }

    @Override
    public boolean isRunning() {
        return accepting.get();
    }

    /**
     * Tells every instance, inside the queuing transaction, so that the notification goes out exactly when the
     * job becomes visible; an instance with no room leaves it to the others.
     */
    @EventListener
    void announce(JobQueuedEvent event) {
        notifications.notify(QUEUED_CHANNEL, event.jobId().toString());
    }

    /**
     * Claims soon here once the queuing transaction has committed. No database work happens in this callback:
     * the committed transaction's connection is still bound to the thread.
     */
    @TransactionalEventListener(fallbackExecution = true)
    void onJobQueued(JobQueuedEvent event) {
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

    /** When the last claim statement succeeded, or null when none has yet. */
    public java.time.Instant lastSuccessfulClaim() {
        return lastClaim.get();
    }

    public boolean isEnabled() {
        return properties.enabled();
    }

    void claimAvailable() {
        if (!accepting.get()) {
            return;
        }
        if (lastRenewal.get().isBefore(java.time.Instant.now().minus(properties.leaseRenewInterval()))
                && !renewLeases()) {
            // after an outage, keep what this instance still runs before claiming expired leases, its own included
            return;
        }
        try {
            int room = properties.maxConcurrentJobs() - running.size();
            if (room <= 0) {
                lastClaim.set(java.time.Instant.now());
                return;
            }
            long runningBatchJobs = running.values().stream().filter(job -> job.batch).count();
            int batchRoom = (int) Math.min(room, properties.maxConcurrentJobs() - properties.reservedForSingleJobs()
                    - runningBatchJobs);
            List<ClaimedJob> claimed = store.claim(owner, room, batchRoom, properties.maxConcurrentJobsPerBatch(),
                    properties.leaseDuration());
            lastClaim.set(java.time.Instant.now());
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
        if (earlier != null && earlier.future != null) {
            // this instance's own earlier run lost the job (its lease ran out, say during a database outage)
            earlier.future.cancel(true);
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
                : execution.execute(job, handle, whenDone);
    }

    boolean renewLeases() {
        if (running.isEmpty()) {
            lastRenewal.set(java.time.Instant.now());
            return true;
        }
        try {
            Map<UUID, Boolean> held = store.renew(owner, running.keySet(), properties.leaseDuration());
            lastRenewal.set(java.time.Instant.now());
            running.forEach((id, job) -> {
                if (!held.containsKey(id) && job.future != null) {
                    log.warn("Lease on job {} is gone; stopping its run", id);
                    job.future.cancel(true);
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

    /**
     * Waits for the running sub-steps to end within the grace period, renewing leases meanwhile, then interrupts
     * what is left; every stopped run hands its job back as it ends.
     */
    private void drain() {
        long deadline = System.nanoTime() + properties.shutdownGrace().toNanos();
        long nextRenewal = System.nanoTime() + properties.leaseRenewInterval().toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            if (System.nanoTime() >= nextRenewal) {
                renewLeases();
                nextRenewal = System.nanoTime() + properties.leaseRenewInterval().toNanos();
            }
            sleep(Duration.ofMillis(50));
        }
        if (!running.isEmpty()) {
            log.info("Shutdown grace over; interrupting {} runs", running.size());
            running.values().forEach(job -> {
                if (job.future != null) {
                    job.future.cancel(true);
                }
            });
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

        private volatile Future<RunOutcome> future;

        RunningJob(boolean batch) {
            this.batch = batch;
        }

        /** Also true for a run launched while shutdown began, before its handle could be marked. */
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
