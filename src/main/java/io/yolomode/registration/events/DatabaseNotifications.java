package io.yolomode.registration.events;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.sql.DataSource;

import lombok.extern.slf4j.Slf4j;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL LISTEN/NOTIFY for the whole instance: one listening connection, however many subscribers, so that
 * what one instance commits reaches every instance within milliseconds. When the connection breaks it is opened
 * again, and subscribers hear {@link #RECONNECTED} so they can catch up on what they may have missed.
 */
@Slf4j
@Component
public class DatabaseNotifications implements SmartLifecycle {

    /** Told to every subscriber after the listening connection was opened again. */
    public static final String RECONNECTED = "";

    private static final Duration POLL = Duration.ofMillis(250);

    private final DataSource dataSource;

    private final JdbcClient jdbc;

    private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();

    private volatile boolean running;

    private Thread listener;

    DatabaseNotifications(DataSource dataSource, JdbcClient jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    /**
     * Calls the subscriber with each payload sent on the channel, from the listening thread; it must be quick.
     */
    public void subscribe(String channel, Consumer<String> subscriber) {
        subscribers.computeIfAbsent(channel, key -> new CopyOnWriteArrayList<>()).add(subscriber);
    }

    /**
     * Sends a notification; inside a transaction it is delivered when the transaction commits.
     */
    public void notify(String channel, String payload) {
        jdbc.sql("select pg_notify(?, ?)").params(channel, payload).query(Object.class).single();
    }

    @Override
    public void start() {
        running = true;
        listener = new Thread(this::listen, "db-notifications");
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    public void stop() {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before and stops after the runner and the web server, which rely on it while they drain. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private void listen() {
        long backoffMillis = 200;
        boolean first = true;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    for (String channel : subscribers.keySet()) {
                        statement.execute("LISTEN " + channel);
                    }
                }
                if (!first) {
                    log.info("Listening for database notifications again");
                    subscribers.values().forEach(list -> list.forEach(subscriber -> deliver(subscriber, RECONNECTED)));
                }
                first = false;
                backoffMillis = 200;
                PGConnection postgres = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications((int) POLL.toMillis());
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        List<Consumer<String>> listeners = subscribers.getOrDefault(notification.getName(), List.of());
                        listeners.forEach(subscriber -> deliver(subscriber, notification.getParameter()));
                    }
                }
            }
            catch (SQLException | RuntimeException ex) {
                if (!running) {
                    return;
                }
                first = false;
                log.warn("Database notifications interrupted ({}); reconnecting in {} ms", ex.getMessage(),
                        backoffMillis);
                try {
                    TimeUnit.MILLISECONDS.sleep(backoffMillis);
                }
                catch (InterruptedException interrupted) {
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 5000);
            }
        }
    }

    private static void deliver(Consumer<String> subscriber, String payload) {
        try {
            subscriber.accept(payload);
        }
        catch (RuntimeException ex) {
            log.warn("A notification subscriber failed: {}", ex.getMessage());
        }
    }
}
