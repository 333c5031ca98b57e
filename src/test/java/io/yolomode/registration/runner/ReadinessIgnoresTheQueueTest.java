package io.yolomode.registration.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestDownstream;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness says whether this instance can serve and run work, never how old the queue
 * is: with every slot busy, a job that has waited in the queue since 1970, far longer
 * than {@code stuck-after}, leaves readiness up; the backlog shows as details (and in the
 * gauges) only. (A caller's past {@code scheduledAt} is stored as now, so the test dates
 * the queued job back itself, as a queue worked through for a long time would.)
 */
class ReadinessIgnoresTheQueueTest extends CallerTestSupport {

    @Autowired
    JobRunner runner;

    @Test
    void aJobScheduledIn1970WaitingBehindBusySlotsLeavesReadinessUp() {
        List<UUID> busy = new ArrayList<>();
        for (int i = 0; i < runner.capacity(); i++) {
            UUID restaurant = data.restaurant(organisation, "Busy " + i);
            // a 503 asking to come back in a minute holds the run, and its slot, in its
            // retry wait
            TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/register-account")
                .willReturn(TestDownstream.status(503, "{\"message\": \"later\"}").withHeader("Retry-After", "60")));
            busy.add(jobs.start(restaurant, SingleJobs.fullForm(data.menu(restaurant, "Menu"))));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.runningJobIds().containsAll(busy));
        UUID early = data.restaurant(organisation, "Early Bird");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("restaurantId", early.toString());
        body.put("formData", SingleJobs.fullForm(data.menu(early, "Menu")));
        body.put("scheduledAt", "1970-01-01T00:00:00Z");
        ApiClient.Response queued = api.postJson("/api/registration/execute-single-restaurant", token, body);
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        UUID earlyJob = UUID.fromString(queued.json().get("jobId").asString());
        jdbc.sql("update registration_jobs set scheduled_at = timestamptz '1970-01-01 00:00:00Z' where id = ?")
            .param(earlyJob)
            .update();
        String ops = TestTokens.withClaims(organisation, Duration.ofHours(1), Map.of("role", "ops"));

        try {
            JsonNode runnerHealth = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/actuator/health/readiness", ops).json().get("components").get("runner"),
                        health -> health.get("details").path("stuck").asBoolean(false));
            assertThat(runnerHealth.get("status").asString()).isEqualTo("UP");
            assertThat(runnerHealth.get("details").get("oldestRunnableAgeSeconds").asLong())
                .isGreaterThan(Duration.ofDays(365).toSeconds());
            await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/actuator/health/readiness", null).status() == 200);
            assertThat(jobs.job(earlyJob).get("status").asString()).as("it waited all along").isEqualTo("pending");
        }
        finally {
            api.postJson("/api/registration/jobs/" + earlyJob + "/cancel", token, Map.of());
            busy.forEach(jobId -> api.postJson("/api/registration/jobs/" + jobId + "/cancel", token, Map.of()));
            await().atMost(Duration.ofSeconds(30))
                .until(() -> runner.runningJobIds().stream().noneMatch(busy::contains));
        }
    }

}
