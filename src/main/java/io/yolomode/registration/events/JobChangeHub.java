package io.yolomode.registration.events;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import lombok.extern.slf4j.Slf4j;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Connects this instance's event-stream clients to job changes from any instance: one database listener
 * ({@code registration_job_changed}, sent by a trigger on every history entry) fans out to the clients of the job.
 * Clients fetch what changed themselves, on a small shared pool, so a slow client never holds up the listener or
 * another job's clients; each keeps only its last sent sequence, so memory per client stays bounded.
 */
@Slf4j
@Component
public class JobChangeHub implements DisposableBean {

    static final String CHANGED_CHANNEL = "registration_job_changed";

    private final Map<UUID, Set<JobStreamClient>> clientsByJob = new ConcurrentHashMap<>();

    private final ExecutorService senders;

    private final ScheduledExecutorService heartbeat;

    JobChangeHub(DatabaseNotifications notifications, EventStreamProperties properties) {
        this.senders = Executors.newFixedThreadPool(properties.senderThreads(), daemon("job-stream-sender"));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("job-stream-heartbeat"));
        long every = properties.heartbeatInterval().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        notifications.subscribe(CHANGED_CHANNEL, this::onChange);
    }

    void register(JobStreamClient client) {
        clientsByJob.computeIfAbsent(client.jobId(), id -> ConcurrentHashMap.newKeySet()).add(client);
        client.wake(senders);
    }

    void unregister(JobStreamClient client) {
        clientsByJob.computeIfPresent(client.jobId(), (id, clients) -> {
            clients.remove(client);
            return clients.isEmpty() ? null : clients;
        });
    }

    /** Clients connected to this instance. */
    public int clientCount() {
        return clientsByJob.values().stream().mapToInt(Set::size).sum();
    }

    private void onChange(String payload) {
        if (DatabaseNotifications.RECONNECTED.equals(payload)) {
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
        clientsByJob.values().forEach(clients -> clients.forEach(JobStreamClient::heartbeat));
    }

    @Override
    public void destroy() {
        heartbeat.shutdownNow();
        senders.shutdownNow();
        clientsByJob.values().forEach(clients -> clients.forEach(JobStreamClient::close));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
