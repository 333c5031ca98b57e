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
 * The runner's own few database connections, for claims, lease renewals and the queue
 * gauge only: a second small pool to the same database, so that request threads, event
 * streams and run writes queueing on the main pool can never delay a renewal past the
 * lease and get live jobs taken over. It is deliberately not a {@link DataSource} bean:
 * everything else (JPA, Flyway, health) keeps the one main pool.
 */
public final class QueueConnections implements AutoCloseable {

    private final HikariDataSource pool;

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    /**
     * Opens {@code size} connections with the main pool's settings (URL, credentials,
     * driver properties).
     */
    public QueueConnections(DataSource main, int size, Duration connectionTimeout) {
        HikariConfig config = new HikariConfig();
        try {
            main.unwrap(HikariDataSource.class).copyStateTo(config);
        }
        catch (SQLException ex) {
            throw new IllegalStateException(
                    "The runner's pool copies the main pool's settings, which must be a " + "HikariDataSource", ex);
        }
        config.setPoolName("registration-queue");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
        this.jdbc = JdbcClient.create(pool);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
    }

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
