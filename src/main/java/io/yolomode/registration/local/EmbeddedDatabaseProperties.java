package io.yolomode.registration.local;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the embedded PostgreSQL that the local profile runs when no external
 * database is configured.
 *
 * @param enabled start the embedded database (only in the local profile, and only without
 * {@code spring.datasource.url})
 * @param dataDirectory where the cluster lives between runs
 * @param port the port it listens on; 0 picks a free one
 * @param startupWait how long to wait for the server to accept connections
 * @param orphanStopWait how long to wait for a PostgreSQL left running by a killed
 * service process to stop
 */
@ConfigurationProperties("registration.embedded-database")
public record EmbeddedDatabaseProperties(@DefaultValue("true") boolean enabled,
        @DefaultValue(".local/pgdata") Path dataDirectory, @DefaultValue("0") int port,
        @DefaultValue("30s") Duration startupWait, @DefaultValue("30s") Duration orphanStopWait) {
}
