package io.yolomode.registration.runner;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
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
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL restarts (a fast shutdown that ends every session, then a start on the same
 * data and port) while several jobs are in the middle of their sub-steps. Every job ends
 * as it would have without the restart, its history has no gap, and no sub-step is called
 * twice unless its call was under way during the restart, and then with the same
 * Idempotency-Key. The server is the test's own, so the shared test database is not
 * disturbed.
 */
class PostgresRestartMidRunTest {

    private static final int JOBS = 6;

    @Test
    void jobsEndAsTheyWouldHaveWhenPostgresRestartsUnderThem() throws IOException {
        TestDownstream.reset();
        TestDownstream.stub(post(urlPathMatching("/api/.*")).atPriority(6)
            .willReturn(TestDownstream.okJson("{\"success\": true}").withUniformRandomDelay(150, 600)));
        TestDownstream.stub(post(urlPathEqualTo("/api/registration/generate-code-injections")).atPriority(5)
            .willReturn(TestDownstream.okJson("""
                    {"success": true, "codeInjectionId": "ci-restart", "generatedAt": 1732800002000,
                     "filePaths": ["head.html"]}""").withUniformRandomDelay(150, 600)));
        RestartablePostgres postgres = RestartablePostgres.start("restart-pg");
        TestDatabase.Coordinates database = postgres.coordinates("embedded PostgreSQL restarted by the test");
        // Answer timeouts far above the stub's delays: a retry after a timeout on a busy
        // machine is a repeated call
        // with the same key too, but not one the restart caused.
        try (ServiceInstance instance = ServiceInstance.start(database,
                Map.of("registration.downstream.response-timeout", "60s",
                        "registration.downstream.response-timeouts.servicesConfig", "60s"))) {
            JdbcClient jdbc = database.jdbcClient();
            TestData data = new TestData(jdbc);
            UUID organisation = data.organisation();
            SingleJobs jobs = new SingleJobs(instance.api(), TestTokens.forOrganisation(organisation));
            List<UUID> jobIds = new ArrayList<>();
            UUID failing = null;
            for (int i = 0; i < JOBS; i++) {
                UUID restaurant = data.restaurant(organisation, "Restart " + i);
                if (i == 0) {
                    // One job that fails on its own (a 400 is final): it must still fail,
                    // and only for that.
                    TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/configure-payment")
                        .willReturn(TestDownstream.status(400, "{\"success\": false, \"message\": \"no stripe\"}")));
                }
                UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(data.menu(restaurant, "Menu")));
                if (i == 0) {
                    failing = jobId;
                }
                jobIds.add(jobId);
            }
            // Restart while every job is between its first and last sub-step.
            await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> jobIds.stream().allMatch(id -> TestDownstream.callsOf(id).size() >= 3));

            Instant stopping = Instant.now();
            postgres.stop();
            postgres.startAgain();
            Instant started = Instant.now();

            await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> jdbc.sql("select count(*) from registration_jobs where status in ('completed', 'failed')")
                    .query(Long.class)
                    .single() == JOBS);

            Map<UUID, String> statuses = jdbc.sql("select id, status from registration_jobs")
                .query((row, n) -> Map.entry(row.getObject(1, UUID.class), row.getString(2)))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            for (UUID jobId : jobIds) {
                assertThat(statuses.get(jobId)).as("job " + jobId)
                    .isEqualTo(jobId.equals(failing) ? "failed" : "completed");
            }
            assertThat(jdbc.sql("select error_message from registration_jobs where id = ?")
                .param(failing)
                .query(String.class)
                .single()).isEqualTo("Failed sub-steps: paymentConfig (HTTP 400: no stripe)");
            assertThat(jdbc.sql("""
                    select count(*) from registration_jobs
                    where status = 'in_progress' or lease_owner is not null""").query(Long.class).single()).isZero();
            assertThat(historyGaps(jdbc)).as("jobs whose history has a gap").isEmpty();

            int repeated = 0;
            for (UUID jobId : jobIds) {
                Map<String, List<ServeEvent>> callsByKey = TestDownstream.server()
                    .getAllServeEvents()
                    .stream()
                    .filter(event -> String.valueOf(event.getRequest().getHeader("Idempotency-Key"))
                        .startsWith(jobId + ":"))
                    .collect(Collectors.groupingBy(event -> event.getRequest().getHeader("Idempotency-Key")));
                assertThat(callsByKey).as("sub-steps called for " + jobId).hasSize(12);
                for (Map.Entry<String, List<ServeEvent>> calls : callsByKey.entrySet()) {
                    if (calls.getValue().size() > 1) {
                        repeated++;
                        assertThat(calls.getValue()).as(calls.getKey() + " called again").hasSize(2);
                        List<ServeEvent> inOrder = calls.getValue()
                            .stream()
                            .sorted(java.util.Comparator.comparing(event -> event.getRequest().getLoggedDate()))
                            .toList();
                        // Its first call went out before PostgreSQL was back and the
                        // second after it went away:
                        // the outcome of the first could not be written in between.
                        assertThat(inOrder.get(0).getRequest().getLoggedDate().toInstant())
                            .as(calls.getKey() + " first called before the restart ended")
                            .isBefore(started);
                        assertThat(inOrder.get(1).getRequest().getLoggedDate().toInstant())
                            .as(calls.getKey() + " called again after the restart began")
                            .isAfter(stopping);
                    }
                }
            }
            System.out.println("PostgreSQL restart under " + JOBS + " running jobs: " + repeated
                    + " sub-steps called again (all under way at the restart), restart took "
                    + Duration.between(stopping, started).toMillis() + " ms");
        }
        finally {
            postgres.close();
        }
    }

    /**
     * Jobs whose history sequences do not run without a gap from the first (0 or 1) to
     * the job's version.
     */
    static List<UUID> historyGaps(JdbcClient jdbc) {
        return jdbc.sql("""
                select j.id from registration_jobs j
                join registration_job_events e on e.registration_job_id = j.id
                group by j.id, j.version
                having count(*) <> max(e.sequence) - min(e.sequence) + 1
                    or min(e.sequence) > 1 or max(e.sequence) <> j.version""").query(UUID.class).list();
    }

}
