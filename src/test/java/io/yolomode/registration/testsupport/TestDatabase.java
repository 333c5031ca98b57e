package io.yolomode.registration.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one real PostgreSQL server of a test JVM, started on first use: the server named by
 * {@code TEST_DATABASE_URL} when it is set, else a Testcontainers {@code postgres:17}
 * when Docker answers, else an embedded PostgreSQL 17. Tests get fresh databases on it:
 * the shared one, which every cached test context uses (tests keep apart by their own
 * rows), and more for tests that run instances of their own.
 */
public final class TestDatabase {

    private static Coordinates coordinates;

    private static Coordinates server;

    private TestDatabase() {
    }

    public record Coordinates(String url, String username, String password, String kind) {

        /** A client of the test's own, independent of any application context's pool. */
        public org.springframework.jdbc.core.simple.JdbcClient jdbcClient() {
            return org.springframework.jdbc.core.simple.JdbcClient
                .create(new org.springframework.jdbc.datasource.DriverManagerDataSource(url, username, password));
        }
    }

    public static synchronized Coordinates coordinates() {
        if (coordinates == null) {
            server = start();
            coordinates = freshDatabaseOn(server.url(), server.username(), server.password(), server.kind());
        }
        return coordinates;
    }

    /**
     * Another empty database on the same server, for tests that need a queue of their own
     * (several instances, counting what one instance runs) without the shared context's
     * runner taking their jobs.
     */
    public static synchronized Coordinates freshDatabase() {
        coordinates();
        return freshDatabaseOn(server.url(), server.username(), server.password(), server.kind());
    }

    private static Coordinates start() {
        String external = System.getenv("TEST_DATABASE_URL");
        if (external != null && !external.isBlank()) {
            return new Coordinates(external, env("TEST_DATABASE_USERNAME", "postgres"),
                    env("TEST_DATABASE_PASSWORD", ""), "external server");
        }
        if (!"embedded".equals(System.getenv("TEST_DATABASE")) && dockerAnswers()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:17");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new Coordinates(container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                    "testcontainers postgres:17");
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                }
                catch (IOException ignored) {
                    // the JVM is going away; the data folder is a temporary one
                }
            }));
            return new Coordinates(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "",
                    "embedded PostgreSQL 17");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL for tests", ex);
        }
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    /**
     * Creates an empty database beside the one the URL names, so that tests never see
     * another run's rows.
     */
    private static Coordinates freshDatabaseOn(String url, String username, String password, String kind) {
        String name = "yolo_test_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(url, username, password);
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("could not create a test database on " + url, ex);
        }
        String freshUrl = url.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> dropDatabase(url, username, password, name)));
        return new Coordinates(freshUrl, username, password, kind + ", database " + name);
    }

    private static void dropDatabase(String url, String username, String password, String name) {
        try (Connection connection = DriverManager.getConnection(url, username, password);
                Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
        }
        catch (SQLException ignored) {
            // best effort at JVM exit
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

}
