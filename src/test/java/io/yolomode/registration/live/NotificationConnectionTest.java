package io.yolomode.registration.live;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.query.JobQueries;
import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.ServiceInstance;
import io.yolomode.registration.testsupport.SseClient;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestDatabase;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The instance's listening connection is replaced when it breaks or goes silent, and
 * streams catch up from the history afterwards, without gaps; polls read the database
 * while it is down. The listener reaches the database through a proxy that can freeze it
 * (checks every 500 ms, 1.5 s to answer); every other connection goes straight to the
 * database. The changes here are history entries written by the test, so only a
 * notification (or the catch-up after a reconnect) can bring them to the stream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationConnectionTest {

    ServiceInstance instance;

    FreezableTcpProxy proxy;

    JdbcClient jdbc;

    JobHistoryWriter history;

    DatabaseNotifications notifications;

    String token;

    UUID jobId;

    @BeforeAll
    void start() {
        TestDatabase.Coordinates database = TestDatabase.freshDatabase();
        URI server = URI.create(database.url().substring("jdbc:".length()));
        proxy = new FreezableTcpProxy(server.getHost(), server.getPort());
        String throughProxy = database.url().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
        instance = ServiceInstance.start(database,
                Map.of("registration.runner.enabled", "false", "registration.events.listener-url", throughProxy,
                        "registration.events.listener-check-interval", "500ms",
                        "registration.events.listener-check-timeout", "1500ms"));
        jdbc = database.jdbcClient();
        history = new JobHistoryWriter(jdbc);
        notifications = instance.bean(DatabaseNotifications.class);
        TestData data = new TestData(jdbc);
        UUID organisation = data.organisation();
        token = TestTokens.forOrganisation(organisation);
        UUID restaurant = data.restaurant(organisation, "Listening Lounge");
        ApiClient.Response accepted = instance.api()
            .postJson("/api/registration/execute-single-restaurant", token,
                    Map.of("restaurantId", restaurant.toString(), "formData", Map.of(), "scheduledAt",
                            Instant.now().plusSeconds(3600).toString()));
        jobId = UUID.fromString(accepted.json().get("jobId").asString());
    }

    @AfterAll
    void stop() {
        instance.close();
        proxy.close();
    }

    @BeforeEach
    void listenerIsUp() {
        proxy.refuseNewConnections(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> listenerBackends().size() == 1);
    }

    @Test
    void aTerminatedListenerBackendIsReplacedAndTheStreamGetsWhatWasWrittenMeanwhile() {
        try (SseClient stream = SseClient.connect(instance.port(), "/api/registration/jobs/" + jobId + "/events", token,
                null)) {
            long before = history.append(jobId);
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.ids().contains(before));
            Integer killed = listenerBackends().get(0);
            long reconnects = notifications.reconnects();

            // Down, and kept down until the changes are written, so that no notification
            // can carry them.
            proxy.refuseNewConnections(true);
            assertThat(jdbc.sql("select pg_terminate_backend(?)").param(killed).query(Boolean.class).single()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> listenerBackends().isEmpty());
            long last = 0;
            for (int i = 0; i < 3; i++) {
                last = history.append(jobId);
            }
            proxy.refuseNewConnections(false);
            long reachable = System.nanoTime();

            long lastWritten = last;
            await().atMost(Duration.ofSeconds(20)).until(() -> stream.ids().contains(lastWritten));
            System.out.println("terminated listener: stream caught up " + (System.nanoTime() - reachable) / 1_000_000
                    + " ms after the database took connections again");
            assertThat(stream.ids()).isEqualTo(history.sequences(jobId)
                .subList(history.sequences(jobId).indexOf(stream.ids().get(0)), history.sequences(jobId).size()));
            assertThat(listenerBackends()).hasSize(1).doesNotContain(killed);
            assertThat(notifications.reconnects()).isGreaterThan(reconnects);
            assertThat(stream.ended()).isFalse();
        }
    }

    @Test
    void aSilentListenerConnectionIsNoticedAndReplacedAndTheStreamGetsWhatWasWrittenMeanwhile() {
        Integer silenced = null;
        try (SseClient stream = SseClient.connect(instance.port(), "/api/registration/jobs/" + jobId + "/events", token,
                null)) {
            long before = history.append(jobId);
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.ids().contains(before));
            silenced = listenerBackends().get(0);
            long reconnects = notifications.reconnects();

            // No error, no close: the listener's connection just stops carrying anything,
            // both ways.
            proxy.freezeOpenConnections();
            long frozen = System.nanoTime();
            long last = 0;
            for (int i = 0; i < 3; i++) {
                last = history.append(jobId);
            }

            long lastWritten = last;
            await().atMost(Duration.ofSeconds(20)).until(() -> stream.ids().contains(lastWritten));
            System.out.println("silent listener: stream caught up " + (System.nanoTime() - frozen) / 1_000_000
                    + " ms after the connection froze");
            List<Long> sequences = history.sequences(jobId);
            assertThat(stream.ids())
                .isEqualTo(sequences.subList(sequences.indexOf(stream.ids().get(0)), sequences.size()));
            assertThat(notifications.reconnects()).isGreaterThan(reconnects);
            // The frozen connection's backend does not know yet (a server's TCP
            // keep-alive would end it); the
            // instance listens on a new one.
            assertThat(listenerBackends()).contains(silenced).hasSize(2);
            assertThat(stream.ended()).isFalse();
        }
        finally {
            jdbc.sql("select pg_terminate_backend(pid) from pg_stat_activity where application_name = ? and pid = ?")
                .params(notifications.applicationName(), silenced)
                .query(Boolean.class)
                .optional();
        }
    }

    /**
     * Polls are answered from memory only while the listener hears the changes: while it
     * is down they read the database, so a change it could not carry is in the very next
     * answer; once it listens again, memory again.
     */
    @Test
    void pollsReadTheDatabaseWhileTheListenerIsDown() {
        JobQueries queries = instance.bean(JobQueries.class);
        String path = "/api/registration/jobs/" + jobId;
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            long before = queries.statements();
            instance.api().get(path, token);
            return queries.statements() == before;
        });
        Integer killed = listenerBackends().get(0);

        proxy.refuseNewConnections(true);
        jdbc.sql("select pg_terminate_backend(?)").param(killed).query(Boolean.class).single();
        await().atMost(Duration.ofSeconds(10)).until(() -> notifications.listeningConnection() == 0);
        long written = history.append(jobId);

        assertThat(instance.api().get(path, token).json().get("version").asLong()).isEqualTo(written);
        long writtenLater = history.append(jobId);
        assertThat(instance.api().get(path, token).json().get("version").asLong()).isEqualTo(writtenLater);

        proxy.refuseNewConnections(false);
        await().atMost(Duration.ofSeconds(20)).until(() -> notifications.listeningConnection() != 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            long before = queries.statements();
            long version = instance.api().get(path, token).json().get("version").asLong();
            return version == writtenLater && queries.statements() == before;
        });
    }

    /**
     * Backends of the instance's listening connection (found by its application_name).
     */
    private List<Integer> listenerBackends() {
        return jdbc.sql("select pid from pg_stat_activity where application_name = ?")
            .param(notifications.applicationName())
            .query(Integer.class)
            .list();
    }

}
