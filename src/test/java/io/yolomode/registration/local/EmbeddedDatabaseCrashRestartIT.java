package io.yolomode.registration.local;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.yolomode.registration.testsupport.ApiClient;
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
 * {@code ./mvnw spring-boot:run} after a {@code kill -9}: the packaged service in the local profile, on its own
 * embedded PostgreSQL data folder, is killed in the middle of a job. Its PostgreSQL keeps running; the next start
 * on the folder stops that orphan, starts normally and takes the stranded job over. A copy started while that
 * one lives refuses before it starts anything and names the live process.
 */
class EmbeddedDatabaseCrashRestartIT {

    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");

    @TempDir
    Path work;

    @Test
    void aStartAfterKillNineStopsTheOrphanedPostgresAndTakesTheJobOverWhileASecondCopyIsRefused()
            throws Exception {
        TestDownstream.reset();
        TestDownstream.stub(post(urlPathMatching("/api/registration/(configure-.*|import-menu-direct)"))
                .atPriority(5).willReturn(TestDownstream.okJson("{\"success\": true}").withFixedDelay(4000)));
        Path dataDirectory = work.resolve("pgdata");
        String token = TestTokens.forOrganisation(DemoData.DEMO_ORGANISATION);

        try (LocalProcess first = LocalProcess.start(dataDirectory, work.resolve("first.log"))) {
            crashRestartAndSecondCopy(first.awaitReady(), dataDirectory, token);
        }
    }

    private void crashRestartAndSecondCopy(LocalProcess first, Path dataDirectory, String token) throws Exception {
        SingleJobs firstJobs = new SingleJobs(first.api(), token);
        UUID jobId = firstJobs.start(DemoData.HARBOUR_GRILL, SingleJobs.fullForm(DemoData.HARBOUR_GRILL_DINNER));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !TestDownstream.callsOf(jobId, "paymentConfig").isEmpty());
        long orphan = postmasterPid(dataDirectory);

        first.kill();
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive))
                .as("the killed service's PostgreSQL is still running").contains(true);

        try (LocalProcess second = LocalProcess.start(dataDirectory, work.resolve("second.log"))) {
            second.awaitReady();
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive))
                    .as("the orphaned PostgreSQL was stopped").isNotEqualTo(java.util.Optional.of(true));
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
            try (LocalProcess third = LocalProcess.start(dataDirectory, work.resolve("third.log"))) {
                assertThat(third.process.waitFor(60, TimeUnit.SECONDS)).as("the second copy exits").isTrue();
                Duration refusedAfter = Duration.ofNanos(System.nanoTime() - started);
                System.out.println("second copy on a live data folder refused after " + refusedAfter.toMillis() + " ms");
                String thirdLog = Files.readString(work.resolve("third.log"), StandardCharsets.UTF_8);
                assertThat(third.process.exitValue()).isNotZero();
                assertThat(thirdLog).contains("in use by the running service process pid " + second.process.pid());
                // Refused before starting anything: no web server, no PostgreSQL, no wait for one.
                assertThat(thirdLog).doesNotContain("Tomcat").doesNotContain("postmaster");
            }
            assertThat(second.api().get("/actuator/health/readiness", null).status()).isEqualTo(200);
        }
    }

    private static long postmasterPid(Path dataDirectory) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
    }

    /** The packaged service with the local profile (its own embedded PostgreSQL), as spring-boot:run runs it. */
    private static final class LocalProcess implements AutoCloseable {

        private final Process process;

        private final int port;

        private LocalProcess(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static LocalProcess start(Path dataDirectory, Path log) throws IOException {
            String jar = System.getProperty("service.jar");
            if (jar == null || !new File(jar).isFile()) {
                throw new IllegalStateException("the packaged service jar is missing (system property service.jar: "
                        + jar + "); run through 'mvnw verify'");
            }
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                    "-XX:TieredStopAtLevel=1", "-jar", jar,
                    "--spring.profiles.active=local",
                    "--server.port=" + port,
                    "--registration.embedded-database.data-directory=" + dataDirectory,
                    "--registration.security.jwt.secret=" + TestTokens.SECRET,
                    "--registration.downstream.base-url=" + TestDownstream.baseUrl(),
                    "--registration.downstream.account-creation-min-interval=0s",
                    "--registration.downstream.backoff-base=50ms",
                    "--registration.downstream.backoff-max=500ms"));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new LocalProcess(process, port);
        }

        LocalProcess awaitReady() {
            ApiClient api = api();
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(200))
                    .failFast("the service exited", () -> !process.isAlive())
                    .ignoreExceptions()
                    .until(() -> api.get("/actuator/health/readiness", null).status() == 200);
            return this;
        }

        ApiClient api() {
            return new ApiClient(port);
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(40, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }
}
