package io.yolomode.registration.runner;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.RestartablePostgres;
import io.yolomode.registration.testsupport.ServiceInstance;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestDatabase;
import io.yolomode.registration.testsupport.TestDownstream;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away for 20 seconds in the middle of runs and comes back: meanwhile
 * readiness is down, liveness up and requests answer 503 with Retry-After; afterwards
 * readiness is up again, the runs that were under way carry on where they were (no
 * takeover, no call made twice), and no job is left in progress without an owner.
 */
class DatabaseOutageTest {

    @Test
    void jobsCompleteAfterTheDatabaseWasDownForTwentySeconds() throws IOException {
        TestDownstream.reset();
        TestDownstream
            .stub(post(urlPathMatching("/api/registration/(configure-payment|import-menu-direct)")).atPriority(5)
                .willReturn(TestDownstream.okJson("{\"success\": true}").withFixedDelay(1500)));
        RestartablePostgres postgres = RestartablePostgres.start("outage-pg");
        TestDatabase.Coordinates database = postgres.coordinates("embedded PostgreSQL for the outage");
        try (ServiceInstance instance = ServiceInstance.start(database, Map.of())) {
            JdbcClient jdbc = database.jdbcClient();
            TestData data = new TestData(jdbc);
            UUID organisation = data.organisation();
            String token = TestTokens.forOrganisation(organisation);
            SingleJobs jobs = new SingleJobs(instance.api(), token);
            List<UUID> jobIds = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                UUID restaurant = data.restaurant(organisation, "Outage " + i);
                jobIds.add(jobs.start(restaurant, SingleJobs.fullForm(data.menu(restaurant, "Menu"))));
            }
            await().until(() -> jobIds.stream().allMatch(id -> !TestDownstream.callsOf(id, "paymentConfig").isEmpty()));

            postgres.stop();
            Instant stopped = Instant.now();
            ApiClient api = instance.api();
            // readiness goes down once claim passes stop working (unready-after, 15 s),
            // while liveness stays up
            await().atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> api.get("/actuator/health/readiness", null).status() == 503);
            assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
            ApiClient.Response poll = api.get("/api/registration/jobs/" + jobIds.get(0), token);
            assertThat(poll.status()).as(poll.toString()).isEqualTo(503);
            assertThat(poll.header("Retry-After")).isEqualTo("5");
            await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Duration.between(stopped, Instant.now()).compareTo(Duration.ofSeconds(20)) >= 0);
            postgres.startAgain();

            await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> api.get("/actuator/health/readiness", null).status() == 200);
            await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> jdbc.sql("select count(*) from registration_jobs where status = 'completed'")
                    .query(Long.class)
                    .single() == 5);
            assertThat(jdbc.sql("""
                    select count(*) from registration_jobs
                    where status = 'in_progress' or lease_owner is not null""").query(Long.class).single()).isZero();
            assertThat(jdbc.sql("select count(*) from registration_job_events where type = 'job_taken_over'")
                .query(Long.class)
                .single()).as("the instance kept its own jobs").isZero();
            assertThat(jdbc.sql("select count(*) from registration_jobs where attempt <> 1").query(Long.class).single())
                .as("each job finished by the run that started it")
                .isZero();
            for (UUID jobId : jobIds) {
                // the calls under way when the database went were kept, not made again
                assertThat(TestDownstream.callsOf(jobId, "paymentConfig")).hasSize(1);
                assertThat(TestDownstream.callsOf(jobId, "menuImport")).hasSize(1);
                assertThat(TestDownstream.callsOf(jobId, "cloudwaitressAccount")).hasSize(1);
                assertThat(TestDownstream.callsOf(jobId, "itemTags")).hasSize(1);
            }
        }
        finally {
            postgres.close();
        }
    }

}
