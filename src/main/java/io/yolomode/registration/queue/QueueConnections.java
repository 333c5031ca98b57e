package io.yolomode.registration.queue;

import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A few database connections of their own, apart from the main pool: the runner's
 * (claims, lease renewals, the queue gauge), so that request threads, event streams and
 * run writes queueing on the main pool can never delay a renewal past the lease and get
 * live jobs taken over; and the progress writer's, whose one thread carries the writes of
 * every run of the instance. Each connection's session has a lock timeout and a statement
 * timeout, and its socket a read timeout a little above them, so that a row lock held
 * elsewhere or a stuck connection fails a statement of these few threads instead of
 * holding them: their callers try again. It is deliberately not a {@link DataSource}
 * bean: everything else (JPA, Flyway, health) keeps the one main pool.
 */
public final class QueueConnections implements AutoCloseable {

    private static final Duration SOCKET_TIMEOUT_MARGIN = Duration.ofSeconds(5);

    private final HikariDataSource pool;

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    /**
     * How long a statement of these connections may wait for a row lock, and run at all.
     */
    public record Timeouts(Duration lock, Duration statement) {
    }

    /**
     * Opens {@code size} connections named {@code name} with the main pool's settings
     * (URL, credentials, driver properties) and the given session timeouts.
     */
    public QueueConnections(DataSource main, String name, int size, Duration connectionTimeout, Timeouts timeouts) {
        HikariConfig config = new HikariConfig();
        try {
            main.unwrap(HikariDataSource.class).copyStateTo(config);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(
                    "The runner's pool copies the main pool's settings, which must be a " + "HikariDataSource", ex);
        }
        config.setPoolName(name);
        config.setConnectionInitSql("set lock_timeout = " + timeouts.lock().toMillis() + "; set statement_timeout = "
                + timeouts.statement().toMillis());
        // pgjdbc's socketTimeout (seconds) ends a read that the statement timeout cannot,
        // such as an answer lost with its connection; in the URL, since the copied driver
        // properties are the main pool's own object
        String url = config.getJdbcUrl();
        if (url != null) {
            config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "socketTimeout="
                    + timeouts.statement().plus(SOCKET_TIMEOUT_MARGIN).toSeconds());
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
        this.jdbc = JdbcClient.create(pool);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
    }

    /** The connections' own {@link JdbcClient}, for the queue's statements. */
    JdbcClient jdbc() {
        return jdbc;
    }

    TransactionTemplate transactions() {
        return transactions;
    }

    @Override
    public void close() {
        pool.close();
    }

}
