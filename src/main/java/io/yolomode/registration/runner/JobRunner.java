package io.yolomode.registration.runner;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.yolomode.registration.job.ClaimedJob;
import io.yolomode.registration.job.JobQueuedEvent;
import io.yolomode.registration.job.JobStore;
import lombok.extern.slf4j.Slf4j;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Takes runnable jobs from the database and runs them, at most {@code max-concurrent-jobs} at a time: right after
 * a job is queued, on every poll, and whenever a run ends and leaves room. Renews the leases of what it runs.
 * Claims run on the scheduler's thread, one at a time.
 */
@Slf4j
@Component
public class JobRunner implements SmartLifecycle {

    private final JobStore store;

    private final JobExecution execution;

    private final RunnerProperties properties;

    private final String owner;

    private final TaskScheduler scheduler;

    private final Map<UUID, ClaimedJob> running = new ConcurrentHashMap<>();

    private final AtomicBoolean started = new AtomicBoolean();

    private final AtomicBoolean wakeRequested = new AtomicBoolean();

    JobRunner(JobStore store, JobExecution execution, RunnerProperties properties, InstanceId instanceId,
            TaskScheduler scheduler) {
        this.store = store;
        this.execution = execution;
        this.properties = properties;
        this.owner = instanceId.value();
        this.scheduler = scheduler;
    }

    @Override
    public void start() {
        if (!properties.enabled() || !started.compareAndSet(false, true)) {
            return;
        }
        scheduler.scheduleWithFixedDelay(this::claimAvailable, properties.pollInterval());
        scheduler.scheduleWithFixedDelay(this::renewLeases, properties.leaseRenewInterval());
        log.info("Runner {} started: up to {} jobs at once", owner, properties.maxConcurrentJobs());
    }

    @Override
    public void stop() {
        started.set(false);
    }

    @Override
    public boolean isRunning() {
        return started.get();
    }

    /** Asks for a claim soon, on the scheduler's thread, after the queuing transaction has committed. */
    @TransactionalEventListener(fallbackExecution = true)
    void onJobQueued(JobQueuedEvent event) {
        wake();
    }

    public void wake() {
        if (started.get() && wakeRequested.compareAndSet(false, true)) {
            scheduler.schedule(() -> {
                wakeRequested.set(false);
                claimAvailable();
            }, java.time.Instant.now());
        }
    }

    public String owner() {
        return owner;
    }

    public Set<UUID> runningJobIds() {
        return Set.copyOf(running.keySet());
    }

    synchronized void claimAvailable() {
        if (!started.get()) {
            return;
        }
        try {
            int room = properties.maxConcurrentJobs() - running.size();
            if (room <= 0) {
                return;
            }
            List<ClaimedJob> claimed = store.claim(owner, room, properties.leaseDuration());
            for (ClaimedJob job : claimed) {
                running.put(job.lease().jobId(), job);
                if (job.takeover()) {
                    log.info("Took over job {} (takeover {})", job.lease().jobId(), job.takeoverCount());
                }
                execution.execute(job, () -> {
                    running.remove(job.lease().jobId());
                    wake();
                });
            }
        }
        catch (RuntimeException ex) {
            log.warn("Claiming jobs failed: {}", ex.getMessage());
        }
    }

    void renewLeases() {
        if (running.isEmpty()) {
            return;
        }
        try {
            Set<UUID> held = store.renew(owner, running.keySet(), properties.leaseDuration());
            running.keySet().stream()
                    .filter(id -> !held.contains(id))
                    .forEach(id -> log.warn("Lease on job {} was not renewed; it is no longer ours", id));
        }
        catch (RuntimeException ex) {
            log.warn("Renewing leases failed: {}", ex.getMessage());
        }
    }
}
