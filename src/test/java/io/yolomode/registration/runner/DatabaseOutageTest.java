package io.yolomode.registration.runner;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
 * The database goes away for 20 seconds in the middle of runs and comes back: the instance survives, the runs
 * carry on where they were, and no job is left in progress without an owner.
 */
class DatabaseOutageTest {

    @Test
    void jobsCompleteAfterTheDatabaseWasDownForTwentySeconds() throws IOException {
        TestDownstream.reset();
        TestDownstream.stub(post(urlPathMatching("/api/registration/(configure-payment|import-menu-direct)")).atPriority(5)
                .willReturn(TestDownstream.okJson("{\"success\": true}").withFixedDelay(1500)));
        RestartablePostgres postgres = RestartablePostgres.start("outage-pg");
        TestDatabase.Coordinates database = postgres.coordinates("embedded PostgreSQL for the outage");
        try (ServiceInstance instance = ServiceInstance.start(database, Map.of())) {
            JdbcClient jdbc = database.jdbcClient();
            TestData data = new TestData(jdbc);
            UUID organisation = data.organisation();
            SingleJobs jobs = new SingleJobs(instance.api(), TestTokens.forOrganisation(organisation));
            List<UUID> jobIds = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                UUID restaurant = data.restaurant(organisation, "Outage " + i);
                jobIds.add(jobs.start(restaurant, SingleJobs.fullForm(data.menu(restaurant, "Menu"))));
            }
            await().until(() -> jobIds.stream().allMatch(id -> !TestDownstream.callsOf(id, "paymentConfig").isEmpty()));

            postgres.stop();
            await().during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(25)).until(instance::isRunning);
            postgres.startAgain();

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> jdbc
                    .sql("select count(*) from registration_jobs where status = 'completed'")
                    .query(Long.class).single() == 5);
            assertThat(jdbc.sql("""
                    select count(*) from registration_jobs
                    where status = 'in_progress' or lease_owner is not null""").query(Long.class).single()).isZero();
            assertThat(jdbc.sql("select count(*) from registration_job_events where type = 'job_taken_over'")
                    .query(Long.class).single()).as("the instance kept its own jobs").isZero();
            for (UUID jobId : jobIds) {
                assertThat(TestDownstream.callsOf(jobId, "cloudwaitressAccount")).hasSize(1);
                assertThat(TestDownstream.callsOf(jobId, "itemTags")).hasSize(1);
            }
        }
        finally {
            postgres.close();
        }
    }
}
