package io.yolomode.registration.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.ServiceProcess;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestDownstream;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./mvnw spring-boot:run} after a {@code kill -9}: the packaged service in the
 * local profile, on its own embedded PostgreSQL data folder, is killed in the middle of a
 * job. Its PostgreSQL keeps running; the next start on the folder stops that orphan,
 * starts normally and takes the stranded job over. A copy started while that one lives
 * refuses before it starts anything and names the live process.
 */
class EmbeddedDatabaseCrashRestartIT {

    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");

    private static final Map<String, String> SETTINGS = Map.of("registration.downstream.account-creation-min-interval",
            "0s", "registration.downstream.backoff-base", "50ms", "registration.downstream.backoff-max", "500ms");

    @TempDir
    Path work;

    @Test
    void aStartAfterKillNineStopsTheOrphanedPostgresAndTakesTheJobOverWhileASecondCopyIsRefused() throws Exception {
        TestDownstream.reset();
        TestDownstream.stub(post(urlPathMatching("/api/registration/(configure-.*|import-menu-direct)")).atPriority(5)
            .willReturn(TestDownstream.okJson("{\"success\": true}").withFixedDelay(4000)));
        Path dataDirectory = work.resolve("pgdata");
        String token = TestTokens.forOrganisation(DemoData.DEMO_ORGANISATION);

        try (ServiceProcess first = ServiceProcess.startLocal(dataDirectory, SETTINGS, work.resolve("first.log"))) {
            crashRestartAndSecondCopy(first.awaitReady(), dataDirectory, token);
        }
    }

    private void crashRestartAndSecondCopy(ServiceProcess first, Path dataDirectory, String token) throws Exception {
        SingleJobs firstJobs = new SingleJobs(first.api(), token);
        UUID jobId = firstJobs.start(DemoData.HARBOUR_GRILL, SingleJobs.fullForm(DemoData.HARBOUR_GRILL_DINNER));
        await().atMost(Duration.ofSeconds(60)).until(() -> !TestDownstream.callsOf(jobId, "paymentConfig").isEmpty());
        long orphan = postmasterPid(dataDirectory);

        first.kill();
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive))
            .as("the killed service's PostgreSQL is still running")
            .contains(true);

        try (ServiceProcess second = ServiceProcess.startLocal(dataDirectory, SETTINGS, work.resolve("second.log"))) {
            second.awaitReady();
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("the orphaned PostgreSQL was stopped")
                .isNotEqualTo(java.util.Optional.of(true));
            assertThat(postmasterPid(dataDirectory)).isNotEqualTo(orphan);

            SingleJobs jobs = new SingleJobs(second.api(), token);
            JsonNode[] last = new JsonNode[1];
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
                last[0] = jobs.job(jobId);
                return TERMINAL.contains(last[0].get("status").asString());
            });
            assertThat(last[0].get("status").asString()).isEqualTo("completed");
            ApiClient.Response history = second.api().get("/api/registration/jobs/" + jobId + "/history", token);
            assertThat(history.body()).contains("job_taken_over");

            long started = System.nanoTime();
            try (ServiceProcess third = ServiceProcess.startLocal(dataDirectory, SETTINGS, work.resolve("third.log"))) {
                assertThat(third.process().waitFor(60, TimeUnit.SECONDS)).as("the second copy exits").isTrue();
                Duration refusedAfter = Duration.ofNanos(System.nanoTime() - started);
                System.out
                    .println("second copy on a live data folder refused after " + refusedAfter.toMillis() + " ms");
                String thirdLog = Files.readString(work.resolve("third.log"), StandardCharsets.UTF_8);
                assertThat(third.process().exitValue()).isNotZero();
                assertThat(thirdLog).contains("in use by the running service process pid " + second.process().pid());
                // Refused before starting anything: no web server, no PostgreSQL, no wait
                // for one.
                assertThat(thirdLog).doesNotContain("Tomcat").doesNotContain("postmaster");
            }
            assertThat(second.api().get("/actuator/health/readiness", null).status()).isEqualTo(200);
        }
    }

    private static long postmasterPid(Path dataDirectory) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
    }

}
