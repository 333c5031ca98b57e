package io.yolomode.registration.live;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.yolomode.registration.queue.NotificationChannels;
import io.yolomode.registration.system.Refusal;
import lombok.extern.slf4j.Slf4j;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Connects this instance's event-stream clients to job changes from any instance: one
 * database listener ({@code registration_job_changed}, sent by a trigger on every history
 * entry) fans out to the clients of the job. It owns the limits on open streams (per
 * instance, per caller) and the clients' writes: clients fetch what changed and write it
 * themselves on a shared pool, heartbeats included, one write at a time per client, so a
 * slow client never holds up the listener, the heartbeat timer or another client. A
 * client whose write has not completed within {@code write-timeout} is dropped. Each
 * client keeps only its last sent sequence, so memory per client stays bounded.
 */
@Slf4j
@Component
public class JobChangeHub implements DisposableBean {

    /**
     * How often writes are watched, and how long one may take before it counts as stuck
     * and gets a stand-in.
     */
    private static final long WATCH_MILLIS = 200;

    private final Map<UUID, Set<JobStreamClient>> clientsByJob = new ConcurrentHashMap<>();

    /** Open streams per caller; guarded by {@code this} together with {@link #open}. */
    private final Map<String, Integer> openByCaller = new HashMap<>();

    private int open;

    private final EventStreamProperties properties;

    private final ThreadPoolExecutor senders;

    private final ScheduledExecutorService timer;

    private final AtomicLong dropped = new AtomicLong();

    /**
     * Dropped clients whose stuck write has not returned yet: each still holds a sender
     * thread.
     */
    private final Set<JobStreamClient> droppedButWriting = ConcurrentHashMap.newKeySet();

    private final AtomicLong rejected = new AtomicLong();

    JobChangeHub(DatabaseNotifications notifications, EventStreamProperties properties) {
        this.properties = properties;
        // Work queues on sender-threads threads; for every write stuck on a client that
        // does not read, the
        // watchdog adds one thread (and takes it back when that write ends), so stuck
        // clients never use up the
        // threads the others need, and a burst of heartbeats never starts a thread per
        // client.
        this.senders = new ThreadPoolExecutor(properties.senderThreads(),
                properties.senderThreads() + properties.maxStreams(), 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemon("job-stream-sender"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("job-stream-heartbeat"));
        long every = properties.heartbeatInterval().toMillis();
        timer.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::watchWrites, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
        notifications.subscribe(NotificationChannels.JOB_CHANGED, this::onChange);
    }

    /**
     * Adds a client, or refuses it with 429 (and Retry-After) when the instance or the
     * caller has as many streams open as allowed.
     */
    void register(JobStreamClient client) {
        synchronized (this) {
            if (open >= properties.maxStreams()) {
                rejected.incrementAndGet();
                throw Refusal.overLimit(
                        "This instance has " + properties.maxStreams()
                                + " event streams open, as many as it serves; try again shortly or poll the progress",
                        properties.retryAfter());
            }
            int mine = openByCaller.getOrDefault(client.caller(), 0);
            if (mine >= properties.maxStreamsPerCaller()) {
                rejected.incrementAndGet();
                throw Refusal.overLimit(
                        "You have " + mine
                                + " event streams open, as many as one caller may have; close one or try again shortly",
                        properties.retryAfter());
            }
            openByCaller.put(client.caller(), mine + 1);
            open++;
            clientsByJob.computeIfAbsent(client.jobId(), id -> ConcurrentHashMap.newKeySet()).add(client);
        }
        client.wake(senders);
    }

    void unregister(JobStreamClient client) {
        synchronized (this) {
            Set<JobStreamClient> clients = clientsByJob.get(client.jobId());
            if (clients == null || !clients.remove(client)) {
                return;
            }
            if (clients.isEmpty()) {
                clientsByJob.remove(client.jobId());
            }
            open--;
            openByCaller.computeIfPresent(client.caller(), (caller, count) -> count > 1 ? count - 1 : null);
        }
    }

    /** Clients connected to this instance. */
    public int clientCount() {
        synchronized (this) {
            return open;
        }
    }

    /** Clients of one job connected to this instance. */
    int clientCount(UUID jobId) {
        Set<JobStreamClient> clients = clientsByJob.get(jobId);
        return clients == null ? 0 : clients.size();
    }

    /** Clients dropped because they did not read what was written to them. */
    long droppedCount() {
        return dropped.get();
    }

    /** Streams refused because a limit was reached. */
    long rejectedCount() {
        return rejected.get();
    }

    private void onChange(String payload) {
        if (DatabaseNotifications.RECONNECTED.equals(payload)) {
            // Whatever was committed while the listener was away is in the history: every
            // client reads from
            // its last sequence, so nothing is skipped.
            clientsByJob.values().forEach(clients -> clients.forEach(client -> client.wake(senders)));
            return;
        }
        int separator = payload.indexOf(':');
        UUID jobId = UUID.fromString(separator < 0 ? payload : payload.substring(0, separator));
        Set<JobStreamClient> clients = clientsByJob.get(jobId);
        if (clients != null) {
            clients.forEach(client -> client.wake(senders));
        }
    }

    private void beat() {
        clientsByJob.values().forEach(clients -> clients.forEach(client -> client.heartbeat(senders)));
    }

    private void watchWrites() {
        long now = System.nanoTime();
        long stuckAfter = TimeUnit.MILLISECONDS.toNanos(WATCH_MILLIS);
        long limit = properties.writeTimeout().toNanos();
        int[] stuck = { 0 };
        clientsByJob.values().forEach(clients -> clients.forEach(client -> {
            if (client.writeStalledLongerThan(limit, now)) {
                dropped.incrementAndGet();
                log.warn("Dropping an event-stream client of job {}: a write has not completed within {} "
                        + "(the client does not read)", client.jobId(), properties.writeTimeout());
                droppedButWriting.add(client);
                client.drop();
            }
            else if (client.writeStalledLongerThan(stuckAfter, now)) {
                stuck[0]++;
            }
        }));
        droppedButWriting.removeIf(client -> !client.writeStalledLongerThan(0, System.nanoTime()));
        int threads = properties.senderThreads()
                + Math.min(properties.maxStreams(), stuck[0] + droppedButWriting.size());
        if (senders.getCorePoolSize() != threads) {
            senders.setCorePoolSize(threads);
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
        clientsByJob.values().forEach(clients -> clients.forEach(client -> {
            if (client.writeStalledLongerThan(0, System.nanoTime())) {
                client.drop();
            }
            else {
                client.close();
            }
        }));
        senders.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

}
