package io.yolomode.registration.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL of one test's own, which the test can stop and start again on
 * the same data and port (an outage, a restart) without touching the database the other
 * tests share.
 */
public final class RestartablePostgres implements AutoCloseable {

    private final Path dataDirectory;

    private final int port;

    private EmbeddedPostgres postgres;

    private RestartablePostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    public static RestartablePostgres start(String name) throws IOException {
        RestartablePostgres server = new RestartablePostgres(Files.createTempDirectory(name), freePort());
        server.startAgain();
        return server;
    }

    public TestDatabase.Coordinates coordinates(String description) {
        return new TestDatabase.Coordinates(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", description);
    }

    /**
     * A fast shutdown: every session ends, the port refuses connections until
     * {@link #startAgain()}.
     */
    public void stop() throws IOException {
        postgres.close();
        postgres = null;
    }

    public void startAgain() throws IOException {
        postgres = EmbeddedPostgres.builder()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .setPort(port)
            .start();
    }

    @Override
    public void close() throws IOException {
        if (postgres != null) {
            stop();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
