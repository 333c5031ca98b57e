package io.yolomode.registration.runner;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.yolomode.registration.pipeline.SubStepDefinition;
import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.RestartablePostgres;
import io.yolomode.registration.testsupport.ServiceInstance;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.SseClient;
import io.yolomode.registration.testsupport.StandardPipeline;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestDatabase;
import io.yolomode.registration.testsupport.TestDownstream;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Claims and lease renewals have their own connections and renewal its own thread, so API
 * traffic cannot starve them: an instance whose main pool is shrunk to two connections
 * (one of them its LISTEN connection; waiting at most 250 ms for one) runs eight jobs
 * through slow calls while polls, readiness probes, job listings and event streams hammer
 * it for 18 s (three lease durations), and no lease ever lapses (another instance would
 * take the job over): no job is taken over and no sub-step is called twice. Readiness
 * follows the runner's own round trips: down while the database is unreachable, up again
 * once it is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RenewalUnderApiLoadTest {

    private static final Duration SLOW_CALL = Duration.ofSeconds(22);

    private static final Duration HAMMERING = Duration.ofSeconds(18);

    RestartablePostgres postgres;

    ServiceInstance instance;

    JdbcClient jdbc;

    @BeforeAll
    void startInstanceOnItsOwnDatabase() throws IOException {
        TestDownstream.reset();
        postgres = RestartablePostgres.start("load-pg");
        TestDatabase.Coordinates database = postgres.coordinates("embedded PostgreSQL for the load");
        instance = ServiceInstance.start(database,
                Map.of("spring.datasource.hikari.maximum-pool-size", "2", "spring.datasource.hikari.connection-timeout",
                        "250", "registration.downstream.response-timeout", "60s", "registration.runner.poll-interval",
                        "200ms", "registration.runner.unready-after", "5s",
                        // a short lease makes any renewal delayed by the load show as a
                        // lapse
                        "registration.runner.lease-duration", "6s", "registration.runner.lease-renew-interval", "2s",
                        // the test profile's 700 ms would retry this call on a loaded
                        // machine; only takeovers are looked for
                        "registration.downstream.response-timeouts.servicesConfig", "60s"));
        jdbc = database.jdbcClient();
    }

    @AfterAll
    void stop() {
        if (instance != null) {
            instance.close();
        }
        if (postgres != null) {
            try {
                postgres.close();
            }
            catch (IOException ex) {
                // already stopped
            }
        }
    }

    @Test
    @Order(1)
    void eightSlowJobsUnderApiLoadAreNeitherTakenOverNorCalledTwice() throws Exception {
        TestData data = new TestData(jdbc);
        UUID organisation = data.organisation();
        String token = TestTokens.forOrganisation(organisation);
        SingleJobs jobs = new SingleJobs(instance.api(), token);
        List<UUID> restaurants = new ArrayList<>();
        List<UUID> jobIds = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            UUID restaurant = data.restaurant(organisation, "Loaded " + i);
            TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/register-account")
                .willReturn(TestDownstream.okJson("{\"success\": true}").withFixedDelay((int) SLOW_CALL.toMillis())));
            restaurants.add(restaurant);
            jobIds.add(jobs.start(restaurant, SingleJobs.fullForm(data.menu(restaurant, "Menu"))));
        }
        JobRunner runner = instance.bean(JobRunner.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> runner.runningJobIds().containsAll(jobIds));

        AtomicLong mostWaitingForMainPool = new AtomicLong();
        AtomicInteger answers = new AtomicInteger();
        AtomicInteger serverErrors = new AtomicInteger();
        long until = System.nanoTime() + HAMMERING.toNanos();
        ExecutorService load = Executors.newFixedThreadPool(40);
        for (int i = 0; i < 32; i++) {
            int kind = i % 4;
            load.submit(() -> {
                ApiClient api = instance.api();
                while (System.nanoTime() < until) {
                    UUID restaurant = restaurants.get(ThreadLocalRandom.current().nextInt(restaurants.size()));
                    ApiClient.Response response = switch (kind) {
                        case 0, 1 -> api.get("/api/registration/single-restaurant-progress/" + restaurant, token);
                        case 2 -> api.get("/actuator/health/readiness", null);
                        default -> api.get("/api/registration/jobs?size=100", token);
                    };
                    answers.incrementAndGet();
                    if (response.status() >= 500 && kind != 2) {
                        serverErrors.incrementAndGet();
                    }
                }
                return null;
            });
        }
        for (int i = 0; i < 8; i++) {
            UUID jobId = jobIds.get(i);
            load.submit(() -> {
                while (System.nanoTime() < until) {
                    try (SseClient stream = SseClient.connect(instance.port(),
                            "/api/registration/jobs/" + jobId + "/events", token, null)) {
                        await().atMost(Duration.ofSeconds(5))
                            .until(() -> !stream.events().isEmpty() || stream.ended() || System.nanoTime() >= until);
                    }
                    catch (RuntimeException slowAnswer) {
                        // a stream that did not answer in time under this load is retried
                    }
                }
                return null;
            });
        }
        // what another instance's claim would see, over a connection of its own: any
        // lease let lapse is taken over
        List<UUID> lapsed = new CopyOnWriteArrayList<>();
        ScheduledExecutorService background = Executors.newScheduledThreadPool(2);
        background.scheduleWithFixedDelay(() -> lapsed.addAll(jdbc.sql("""
                select id from registration_jobs where status = 'in_progress' and lease_expires_at < now()""")
            .query(UUID.class)
            .list()), 0, 200, TimeUnit.MILLISECONDS);
        MeterRegistry meters = instance.bean(MeterRegistry.class);
        background.scheduleAtFixedRate(
                () -> meters.find("hikaricp.connections.pending")
                    .gauges()
                    .stream()
                    .filter(gauge -> !"registration-queue".equals(gauge.getId().getTag("pool")))
                    .mapToLong(gauge -> (long) gauge.value())
                    .forEach(waiting -> mostWaitingForMainPool.accumulateAndGet(waiting, Math::max)),
                0, 50, TimeUnit.MILLISECONDS);
        load.shutdown();
        assertThat(load.awaitTermination(HAMMERING.plusSeconds(30).toSeconds(), TimeUnit.SECONDS)).isTrue();
        background.shutdownNow();
        assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        System.out.printf("API load: %d answers, %d server errors, up to %d threads waiting for the main pool%n",
                answers.get(), serverErrors.get(), mostWaitingForMainPool.get());
        assertThat(mostWaitingForMainPool.get()).as("the main pool was starved").isGreaterThan(0);
        assertThat(lapsed).as("jobs whose lease lapsed, for another instance to take over").isEmpty();

        await().atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> jdbc
                .sql("select count(*) from registration_jobs where organisation_id = ? and status = 'completed'")
                .param(organisation)
                .query(Long.class)
                .single() == jobIds.size());
        assertThat(
                jdbc.sql("select coalesce(sum(takeover_count), 0) from registration_jobs").query(Long.class).single())
            .as("takeovers")
            .isZero();
        assertThat(jdbc.sql("select count(*) from registration_job_events where type = 'job_taken_over'")
            .query(Long.class)
            .single()).isZero();
        for (UUID jobId : jobIds) {
            for (SubStepDefinition subStep : StandardPipeline.PIPELINE.subSteps()) {
                assertThat(TestDownstream.callsOf(jobId, subStep.key())).as(jobId + " " + subStep.key()).hasSize(1);
            }
        }
    }

    @Test
    @Order(2)
    void readinessGoesDownAndRequestsAre503WhileTheDatabaseIsUnreachableAndUpWhenItIsBack() throws IOException {
        ApiClient api = instance.api();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/actuator/health/readiness", null).status() == 200);

        postgres.stop();
        await().atMost(Duration.ofSeconds(40))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> api.get("/actuator/health/readiness", null).status() == 503);
        assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
        ApiClient.Response poll = api.get("/api/registration/single-restaurant-progress/" + UUID.randomUUID(),
                TestTokens.forOrganisation(UUID.randomUUID()));
        assertThat(poll.status()).as(poll.toString()).isEqualTo(503);
        assertThat(poll.header("Retry-After")).isEqualTo("5");
        assertThat(poll.header("Content-Type")).startsWith("application/problem+json");
        assertThat(poll.json().get("success").asBoolean()).isFalse();

        postgres.startAgain();
        await().atMost(Duration.ofSeconds(40))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> api.get("/actuator/health/readiness", null).status() == 200);
    }

}
