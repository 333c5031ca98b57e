package io.yolomode.registration.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.yolomode.registration.testsupport.ServiceProcess;
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
 * The small chaos run of {@code ./mvnw verify} (bench/chaos.sh is the big one): two
 * packaged instances on one database work through a queue of jobs while each of them in
 * turn is killed with SIGKILL (the second a few dozen calls after the first) and started
 * again. No job is lost, no history has a gap, every stranded job is taken over, and a
 * sub-step is called more than once only when its call was under way at a kill, always
 * with the same Idempotency-Key.
 */
class ChaosIT {

    private static final int JOBS = 24;

    @Test
    void noJobIsLostAndNoSubStepRepeatsExceptCallsUnderWayAtAKill() throws Exception {
        TestDownstream.reset();
        TestDownstream.stub(post(urlPathMatching("/api/.*")).atPriority(6)
            .willReturn(TestDownstream.okJson("{\"success\": true}").withUniformRandomDelay(50, 250)));
        TestDownstream.stub(post(urlPathEqualTo("/api/registration/generate-code-injections")).atPriority(5)
            .willReturn(TestDownstream.okJson("""
                    {"success": true, "codeInjectionId": "ci-chaos", "generatedAt": 1732800002000,
                     "filePaths": ["head.html"]}""").withUniformRandomDelay(50, 250)));
        TestDatabase.Coordinates database = TestDatabase.freshDatabase();
        Path log = Files.createTempFile("chaos-it", ".log");
        JdbcClient jdbc = database.jdbcClient();
        List<Instant> kills = new ArrayList<>();
        List<Stranded> stranded = new ArrayList<>();
        ServiceProcess[] instances = new ServiceProcess[2];
        try {
            CompletableFuture<ServiceProcess> second = CompletableFuture
                .supplyAsync(() -> start(database, log, "chaos-1-1"));
            instances[0] = start(database, log, "chaos-0-1");
            instances[1] = second.join();
            instances[0].awaitReady();
            instances[1].awaitReady();

            TestData data = new TestData(jdbc);
            UUID organisation = data.organisation();
            String token = TestTokens.forOrganisation(organisation);
            List<UUID> jobIds = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                UUID restaurant = data.restaurant(organisation, "Chaos " + i);
                jobIds.add(new SingleJobs(instances[i % 2].api(), token).start(restaurant,
                        SingleJobs.fullForm(data.menu(restaurant, "Menu"))));
            }

            for (int slot = 0; slot < 2; slot++) {
                int victim = slot;
                await().atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !owned(jdbc, "chaos-" + victim + "-1").isEmpty());
                Instant killed = Instant.now();
                instances[victim].kill();
                kills.add(killed);
                owned(jdbc, "chaos-" + victim + "-1").forEach(job -> stranded.add(new Stranded(job, killed)));
                // Started again at once but not awaited: the other instance is killed
                // while it still has work.
                instances[victim] = start(database, log, "chaos-" + victim + "-2");
            }
            instances[0].awaitReady();
            instances[1].awaitReady();

            await().atMost(Duration.ofSeconds(300))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> jdbc
                    .sql("select count(*) from registration_jobs where status in ('pending', 'in_progress')")
                    .query(Long.class)
                    .single() == 0);

            assertThat(jdbc.sql("select count(*) from registration_jobs where status = 'completed'")
                .query(Long.class)
                .single()).as("jobs completed, none lost").isEqualTo(JOBS);
            assertThat(PostgresRestartMidRunTest.historyGaps(jdbc)).as("jobs whose history has a gap").isEmpty();
            assertThat(stranded).as("jobs stranded by the kills").isNotEmpty();
            Duration longestWait = Duration.ZERO;
            Map<UUID, Instant> takenOverAt = new HashMap<>();
            for (Stranded job : stranded) {
                Instant takenOver = jdbc.sql("""
                        select min(occurred_at) from registration_job_events
                        where registration_job_id = ? and type = 'job_taken_over' and occurred_at >= ?""")
                    .params(job.jobId(), java.sql.Timestamp.from(job.killed().minusSeconds(1)))
                    .query(Instant.class)
                    .optional()
                    .orElse(null);
                assertThat(takenOver).as("takeover of " + job.jobId()).isNotNull();
                takenOverAt.put(job.jobId(), takenOver);
                longestWait = Duration.between(job.killed(), takenOver).compareTo(longestWait) > 0
                        ? Duration.between(job.killed(), takenOver) : longestWait;
            }

            // Under way at a kill: a stranded job's call made before its takeover (so by
            // the killed owner, even one
            // still on its way when the kill was decided) whose outcome the killed owner
            // did not write, so the next
            // run makes it again.
            List<ServeEvent> calls = calls();
            Set<String> underWayAtAKill = new HashSet<>();
            for (Stranded job : stranded) {
                List<String> ended = jdbc.sql("""
                        select sub_step from registration_job_events
                        where registration_job_id = ? and type = 'sub_step'
                          and status in ('completed', 'failed', 'skipped') and occurred_at < ?""")
                    .params(job.jobId(), java.sql.Timestamp.from(takenOverAt.get(job.jobId())))
                    .query(String.class)
                    .list();
                calls.stream()
                    .filter(call -> keyOf(call).startsWith(job.jobId() + ":"))
                    .filter(call -> sent(call).isBefore(takenOverAt.get(job.jobId())))
                    .filter(call -> !ended.contains(keyOf(call).split(":")[1]))
                    .forEach(call -> underWayAtAKill.add(keyOf(call)));
            }
            Map<String, List<ServeEvent>> byKey = calls.stream()
                .filter(call -> call.getRequest().containsHeader("Idempotency-Key"))
                .collect(Collectors.groupingBy(ChaosIT::keyOf));
            assertThat(byKey).as("one key per sub-step of every job").hasSize(JOBS * 12);
            int repeated = 0;
            for (Map.Entry<String, List<ServeEvent>> sameKey : byKey.entrySet()) {
                if (sameKey.getValue().size() > 1) {
                    repeated++;
                    assertThat(sameKey.getValue()).as(sameKey.getKey()).hasSizeLessThanOrEqualTo(1 + kills.size());
                    assertThat(sameKey.getValue().stream().map(call -> call.getRequest().getUrl()).distinct())
                        .as(sameKey.getKey() + " went to one path")
                        .hasSize(1);
                    assertThat(underWayAtAKill)
                        .as(sameKey.getKey() + " was called again without being under " + "way at a kill")
                        .contains(sameKey.getKey());
                }
            }
            System.out.println("chaos (verify): " + JOBS + " jobs, " + kills.size() + " kills, " + stranded.size()
                    + " stranded jobs all taken over (longest wait " + longestWait.toMillis() + " ms), " + repeated
                    + " sub-steps called twice of " + underWayAtAKill.size() + " under way at the kills, "
                    + calls.size() + " calls");
        }
        finally {
            for (ServiceProcess instance : instances) {
                if (instance != null) {
                    instance.close();
                }
            }
        }
    }

    private static ServiceProcess start(TestDatabase.Coordinates database, Path log, String instanceId) {
        try {
            return ServiceProcess.start(database, Map.of("registration.downstream.account-creation-min-interval", "0s",
                    // Two jobs at a time per instance: the queue outlasts the
                    // submissions, so both kills find work.
                    "registration.runner.max-concurrent-jobs", "2", "registration.runner.instance-id", instanceId),
                    log);
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static List<UUID> owned(JdbcClient jdbc, String instanceId) {
        return jdbc.sql("select id from registration_jobs where status = 'in_progress' and lease_owner = ?")
            .param(instanceId)
            .query(UUID.class)
            .list();
    }

    private static List<ServeEvent> calls() {
        return TestDownstream.server()
            .getAllServeEvents()
            .stream()
            .sorted(Comparator.comparing(event -> event.getRequest().getLoggedDate()))
            .toList();
    }

    private static String keyOf(ServeEvent call) {
        return call.getRequest().getHeader("Idempotency-Key");
    }

    private static Instant sent(ServeEvent call) {
        return call.getRequest().getLoggedDate().toInstant();
    }

    private record Stranded(UUID jobId, Instant killed) {
    }

}
