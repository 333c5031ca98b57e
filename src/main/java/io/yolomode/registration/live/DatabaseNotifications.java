package io.yolomode.registration.live;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.yolomode.registration.queue.NotificationChannels;
import lombok.extern.slf4j.Slf4j;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL LISTEN/NOTIFY for the whole instance: one listening connection, however many
 * subscribers, so that what one instance commits reaches every instance within
 * milliseconds.
 * <p>
 * The listening connection is its own physical connection (not one of the pool's), named
 * {@link #applicationName()} in {@code pg_stat_activity}. A connection that only waits
 * for notifications cannot tell a quiet database from a dead peer (half-open TCP, a
 * frozen proxy), so every {@code listener-check-interval} it sends a notification to
 * itself on a channel of its own and expects it back within
 * {@code listener-check-timeout}; on silence or any error it is closed and opened again.
 * Subscribers then hear {@link #RECONNECTED} so they can catch up on what they may have
 * missed.
 */
@Slf4j
@Component
public class DatabaseNotifications implements SmartLifecycle {

    /** Told to every subscriber after the listening connection was opened again. */
    public static final String RECONNECTED = "";

    private static final int POLL_MILLIS = 250;

    private final DataSource dataSource;

    private final JdbcClient jdbc;

    private final EventStreamProperties properties;

    private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();

    private final String instanceTag = UUID.randomUUID()
        .toString()
        .replace("-", "")
        .substring(0, 12)
        .toLowerCase(Locale.ROOT);

    private final AtomicLong reconnects = new AtomicLong();

    private volatile boolean running;

    private volatile @Nullable Connection current;

    /**
     * Connections opened so far; {@link #listening} names the one that is listening, 0
     * while none is.
     */
    private final AtomicLong connections = new AtomicLong();

    private volatile long listening;

    private Thread listener;

    DatabaseNotifications(DataSource dataSource, JdbcClient jdbc, EventStreamProperties properties) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /**
     * Calls the subscriber with each payload sent on the channel, from the listening
     * thread; it must be quick.
     */
    public void subscribe(String channel, Consumer<String> subscriber) {
        subscribers.computeIfAbsent(channel, key -> new CopyOnWriteArrayList<>()).add(subscriber);
    }

    /**
     * Sends a notification; inside a transaction it is delivered when the transaction
     * commits.
     */
    public void notify(String channel, String payload) {
        jdbc.sql("select pg_notify(?, ?)").params(channel, payload).query(Object.class).single();
    }

    /**
     * The {@code application_name} of this instance's listening connection, unique per
     * instance.
     */
    public String applicationName() {
        return "yolo-listener-" + instanceTag;
    }

    /**
     * Names the listening connection while it listens on every subscribed channel, so
     * every change committed from then on reaches the subscribers; a new value for each
     * new connection, 0 while there is none (between a failure and the next connection).
     * What was learnt from notifications under one value holds while it stays the current
     * one. A connection that went silent still counts until its check notification is
     * overdue.
     */
    public long listeningConnection() {
        return listening;
    }

    /**
     * How often the listening connection was opened again after it broke or went silent.
     */
    public long reconnects() {
        return reconnects.get();
    }

    private String checkChannel() {
        return NotificationChannels.listenerCheck(instanceTag);
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
        listening = 0;
        if (listener != null) {
            listener.interrupt();
        }
        abort(current);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Starts before and stops after the runner and the web server, which rely on it while
     * they drain.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private void listen() {
        long backoffMillis = 200;
        boolean first = true;
        while (running) {
            Connection connection = null;
            try {
                connection = open();
                current = connection;
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + checkChannel());
                    for (String channel : subscribers.keySet()) {
                        statement.execute("LISTEN " + channel);
                    }
                }
                listening = connections.incrementAndGet();
                if (!first) {
                    reconnects.incrementAndGet();
                    log.info("Listening for database notifications again");
                    subscribers.values().forEach(list -> list.forEach(subscriber -> deliver(subscriber, RECONNECTED)));
                }
                first = false;
                backoffMillis = 200;
                hear(connection);
            }
            catch (SQLException | RuntimeException ex) {
                listening = 0;
                if (!running) {
                    return;
                }
                first = false;
                log.warn("Database notifications interrupted ({}); reconnecting in {} ms", ex.getMessage(),
                        backoffMillis);
                abort(connection);
                try {
                    TimeUnit.MILLISECONDS.sleep(backoffMillis);
                }
                catch (InterruptedException interrupted) {
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 5000);
            }
            finally {
                listening = 0;
                current = null;
                close(connection);
            }
        }
    }

    /**
     * Delivers notifications until the connection fails or stays silent: a check
     * notification sent to itself that does not come back within the check timeout ends
     * it like an error would.
     */
    private void hear(Connection connection) throws SQLException {
        PGConnection postgres = connection.unwrap(PGConnection.class);
        long interval = properties.listenerCheckInterval().toNanos();
        long timeout = properties.listenerCheckTimeout().toNanos();
        long checks = 0;
        String awaited = null;
        long sentAt = 0;
        long nextCheck = System.nanoTime() + interval;
        while (running) {
            long now = System.nanoTime();
            if (awaited == null && now - nextCheck >= 0) {
                awaited = Long.toString(++checks);
                sentAt = now;
                try (Statement statement = connection.createStatement()) {
                    statement.execute("NOTIFY " + checkChannel() + ", '" + awaited + "'");
                }
            }
            PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    if (checkChannel().equals(notification.getName())) {
                        if (notification.getParameter().equals(awaited)) {
                            awaited = null;
                            nextCheck = System.nanoTime() + interval;
                        }
                        continue;
                    }
                    List<Consumer<String>> listeners = subscribers.getOrDefault(notification.getName(), List.of());
                    listeners.forEach(subscriber -> deliver(subscriber, notification.getParameter()));
                }
            }
            if (awaited != null && System.nanoTime() - sentAt > timeout) {
                throw new SQLException("the listening connection did not hear its own check notification within "
                        + properties.listenerCheckTimeout());
            }
        }
    }

    /**
     * A physical connection of its own: with the pool's URL and credentials (or
     * {@code listener-url}), its own name, TCP keep-alive, and a network timeout so that
     * a statement on a dead peer fails instead of hanging.
     */
    private Connection open() throws SQLException {
        Connection connection;
        if (dataSource.isWrapperFor(HikariDataSource.class)
                && dataSource.unwrap(HikariDataSource.class).getJdbcUrl() != null) {
            HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
            Properties settings = new Properties();
            settings.putAll(pool.getDataSourceProperties());
            if (pool.getUsername() != null) {
                settings.setProperty("user", pool.getUsername());
            }
            if (pool.getPassword() != null) {
                settings.setProperty("password", pool.getPassword());
            }
            settings.setProperty("tcpKeepAlive", "true");
            settings.setProperty("connectTimeout",
                    Long.toString(Math.max(1, properties.listenerCheckTimeout().toSeconds())));
            String url = properties.listenerUrl() != null && !properties.listenerUrl().isBlank()
                    ? properties.listenerUrl() : pool.getJdbcUrl();
            connection = DriverManager.getConnection(url, settings);
        }
        else {
            connection = dataSource.getConnection();
        }
        try {
            connection.setAutoCommit(true);
            connection.setNetworkTimeout(Runnable::run,
                    (int) Math.max(1000, properties.listenerCheckTimeout().toMillis()));
            try (var statement = connection.prepareStatement("select set_config('application_name', ?, false)")) {
                statement.setString(1, applicationName());
                statement.execute();
            }
            return connection;
        }
        catch (SQLException | RuntimeException ex) {
            abort(connection);
            close(connection);
            throw ex;
        }
    }

    /** Drops a connection at once, without waiting for a peer that may never answer. */
    private static void abort(@Nullable Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.abort(Runnable::run);
        }
        catch (SQLException | RuntimeException ignored) {
            // already gone
        }
    }

    private static void close(@Nullable Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        }
        catch (SQLException | RuntimeException ignored) {
            // already gone
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
