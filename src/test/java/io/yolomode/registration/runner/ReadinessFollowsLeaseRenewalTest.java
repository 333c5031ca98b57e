package io.yolomode.registration.runner;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.ServiceInstance;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestDatabase;
import io.yolomode.registration.testsupport.TestDownstream;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness also follows the leases of the jobs this instance runs, not only its claims:
 * while another transaction holds the running job's row lock, the lease renewal (which
 * locks its rows {@code FOR UPDATE}) waits, the database still answers and claims skip
 * locked rows; once no renewal has worked for a lease duration readiness is 503 with the
 * runner's details saying {@code renewing: false} while {@code claiming} is still true,
 * and it is 200 again as soon as the lock is gone and a renewal goes through. The
 * instance keeps its job throughout: no takeover, the same attempt.
 * <p>
 * The claim passes of this instance wait behind the stalled renewal (an overdue renewal
 * is retried before a claim, so that the instance never takes over its own job), so
 * readiness is given 10 s without a claim pass, well beyond the 3 s lease: the claim rule
 * cannot be what takes it down first.
 */
class ReadinessFollowsLeaseRenewalTest {

    private static final String READINESS = "/actuator/health/readiness";

    @Test
    void readinessIsDownWhileTheRunningJobsLeaseCannotBeRenewedAndUpOnceItIs() throws SQLException {
        TestDownstream.reset();
        TestDatabase.Coordinates database = TestDatabase.freshDatabase();
        try (ServiceInstance instance = ServiceInstance.start(database,
                Map.of("registration.runner.lease-duration", "3s", "registration.runner.lease-renew-interval", "1s",
                        "registration.runner.poll-interval", "200ms", "registration.runner.backlog-refresh-interval",
                        "1s", "registration.runner.unready-after", "10s", "registration.runner.shutdown-grace", "1s",
                        // the slow call below must stay one call under way, not time out
                        // and retry
                        "registration.downstream.response-timeout", "60s"))) {
            JdbcClient jdbc = database.jdbcClient();
            TestData data = new TestData(jdbc);
            UUID organisation = data.organisation();
            String token = TestTokens.forOrganisation(organisation);
            String ops = TestTokens.withClaims(organisation, Duration.ofHours(1), Map.of("role", "ops"));
            ApiClient api = instance.api();
            SingleJobs jobs = new SingleJobs(api, token);
            UUID restaurant = data.restaurant(organisation, "Locked Row Bistro");
            TestDownstream.succeedAfter(restaurant, "/api/registration/register-account", 45_000);
            UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(data.menu(restaurant, "Menu")));
            JobRunner runner = instance.bean(JobRunner.class);
            await().atMost(Duration.ofSeconds(30))
                .until(() -> !TestDownstream.callsOf(jobId, "cloudwaitressAccount").isEmpty());
            Instant callUnderWay = Instant.now();
            // a renewal of the running job's lease has worked since its call began
            JsonNode before = await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> api.get(READINESS, ops), response -> response.status() == 200
                        && Instant.parse(runnerDetails(response).get("lastRenewal").asString()).isAfter(callUnderWay))
                .json();
            assertThat(before.get("components").get("runner").get("details").get("running").asInt()).isEqualTo(1);
            assertThat(runner.runningJobIds()).containsExactly(jobId);

            try (Connection lock = DriverManager.getConnection(database.url(), database.username(),
                    database.password())) {
                lock.setAutoCommit(false);
                try (PreparedStatement select = lock
                    .prepareStatement("select id from registration_jobs where id = ? for update")) {
                    select.setObject(1, jobId);
                    try (ResultSet rows = select.executeQuery()) {
                        assertThat(rows.next()).isTrue();
                    }
                }
                Instant locked = Instant.now();

                ApiClient.Response down = await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> api.get(READINESS, ops),
                            response -> !runnerDetails(response).get("renewing").asBoolean());
                JsonNode details = runnerDetails(down);
                assertThat(down.status()).as(down.toString()).isEqualTo(503);
                assertThat(down.json().get("components").get("runner").get("status").asString()).isEqualTo("DOWN");
                assertThat(details.get("claiming").asBoolean()).as("claims still count as working").isTrue();
                assertThat(details.get("running").asInt()).isEqualTo(1);
                assertThat(Instant.parse(details.get("lastRenewal").asString()))
                    .as("no renewal has worked since the row was locked")
                    .isBefore(locked);
                assertThat(api.get(READINESS, null).status()).isEqualTo(503);
                assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
                assertThat(jdbc.sql("select lease_expires_at < now() from registration_jobs where id = ?")
                    .param(jobId)
                    .query(Boolean.class)
                    .single()).as("the lease lapsed in the database").isTrue();

                lock.rollback();
            }

            await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> api.get(READINESS, ops),
                        response -> response.status() == 200 && runnerDetails(response).get("renewing").asBoolean());
            await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> jdbc.sql("select lease_expires_at > now() from registration_jobs where id = ?")
                    .param(jobId)
                    .query(Boolean.class)
                    .single());
            assertThat(runner.runningJobIds()).containsExactly(jobId);

            ApiClient.Response cancel = api.postJson("/api/registration/jobs/" + jobId + "/cancel", token, Map.of());
            assertThat(cancel.status()).as(cancel.toString()).isEqualTo(202);
            assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("cancelled");
            assertThat(jdbc.sql("select count(*) from registration_job_events where type = 'job_taken_over'")
                .query(Long.class)
                .single()).as("the instance kept its own job").isZero();
            assertThat(jdbc.sql("select attempt from registration_jobs where id = ?")
                .param(jobId)
                .query(Integer.class)
                .single()).as("one run from start to end").isEqualTo(1);
        }
    }

    private static JsonNode runnerDetails(ApiClient.Response readiness) {
        return readiness.json().get("components").get("runner").get("details");
    }

}
