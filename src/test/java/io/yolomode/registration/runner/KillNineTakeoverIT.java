package io.yolomode.registration.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.yolomode.registration.testsupport.ServiceProcess;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestDatabase;
import io.yolomode.registration.testsupport.TestDownstream;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged service is killed with SIGKILL in the middle of phase 2; a new process on
 * the same database takes the job over within seconds of being ready and finishes it.
 * Sub-steps that had completed are not called again; the ones in flight are called at
 * most once more, with the same Idempotency-Key.
 */
class KillNineTakeoverIT {

    private static final List<String> PHASE_2_IN_FLIGHT = List.of("websiteConfig", "servicesConfig", "paymentConfig",
            "menuImport", "syncOnboardingUser");

    @Test
    void aKilledInstancesJobIsTakenOverByTheNextProcessAndCompletes() throws Exception {
        TestDownstream.reset();
        TestDownstream
            .stub(post(urlPathMatching("/api/registration/(configure-.*|import-menu-direct|update-onboarding-record)"))
                .atPriority(5)
                .willReturn(TestDownstream.okJson("{\"success\": true}").withFixedDelay(4000)));
        TestDatabase.Coordinates database = TestDatabase.freshDatabase();
        Path log = Files.createTempFile("kill-nine", ".log");
        Map<String, String> settings = Map.of("registration.downstream.account-creation-min-interval", "0s");

        ServiceProcess first = ServiceProcess.start(database, settings, log).awaitReady();
        JdbcClient jdbc = database.jdbcClient();
        TestData data = new TestData(jdbc);
        UUID organisation = data.organisation();
        UUID restaurant = data.restaurant(organisation, "Kill Nine Kitchen");
        UUID menu = data.menu(restaurant, "Dinner");
        String token = TestTokens.forOrganisation(organisation);
        UUID jobId = new SingleJobs(first.api(), token).start(restaurant, SingleJobs.fullForm(menu));
        await().atMost(Duration.ofSeconds(30))
            .until(() -> PHASE_2_IN_FLIGHT.stream().allMatch(key -> TestDownstream.callsOf(jobId, key).size() == 1));

        first.kill();
        Instant killed = Instant.now();
        try (ServiceProcess second = ServiceProcess.start(database, settings, log)) {
            second.awaitReady();
            Instant ready = Instant.now();
            JsonNode done = new SingleJobs(second.api(), token).awaitEnd(jobId);

            assertThat(done.get("status").asString()).isEqualTo("completed");
            Instant takenOver = jdbc.sql("""
                    select occurred_at from registration_job_events
                    where registration_job_id = ? and type = 'job_taken_over'""")
                .param(jobId)
                .query(Instant.class)
                .single();
            Duration takeover = Duration.between(ready, takenOver);
            System.out.println("kill -9 takeover: " + takeover.toMillis() + " ms after the new process was ready, "
                    + Duration.between(killed, takenOver).toMillis() + " ms after the kill");
            assertThat(takeover).isLessThan(Duration.ofSeconds(15));

            Map<String, List<LoggedRequest>> callsByKey = TestDownstream.callsOf(jobId)
                .stream()
                .collect(Collectors.groupingBy(call -> call.getHeader("Idempotency-Key")));
            for (String key : List.of("cloudwaitressAccount", "codeGeneration", "createOnboardingUser", "uploadImages",
                    "restaurantRegistration", "optionSets", "itemTags")) {
                assertThat(callsByKey.get(jobId + ":" + key)).as(key).hasSize(1);
            }
            for (String key : PHASE_2_IN_FLIGHT) {
                assertThat(callsByKey.get(jobId + ":" + key)).as(key).hasSizeBetween(1, 2);
            }
            assertThat(callsByKey).hasSize(12);
            System.out.println("kill -9 calls per sub-step: " + callsByKey.entrySet()
                .stream()
                .map(entry -> entry.getKey().substring(37) + "=" + entry.getValue().size())
                .sorted()
                .collect(Collectors.joining(", ")));
        }
    }

}
