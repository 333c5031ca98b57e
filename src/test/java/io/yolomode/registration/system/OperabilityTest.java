package io.yolomode.registration.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestDownstream;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators and curl users rely on: the yolo.* meters move as a run goes, metrics need the ops role, the
 * logs of a run name it and carry no secret, and the OpenAPI document describes every endpoint.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperabilityTest extends CallerTestSupport {

    @Autowired
    MeterRegistry registry;

    @Test
    void aCompletedRunMovesTheJobCountersAndTimesTwelveSubSteps(CapturedOutput output) {
        TestData data = new TestData(jdbc);
        UUID restaurant = data.restaurant(organisation, "Metered Meals");
        UUID menu = data.menu(restaurant, "Dinner");
        double started = count("yolo.jobs.started");
        double completed = count("yolo.jobs.completed");
        long timed = timers();
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/configure-payment")
                .inScenario("retry").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willSetStateTo("ok").willReturn(TestDownstream.status(503, "{\"message\": \"busy\"}")));
        double retries = registry.find("yolo.substep.retries").tag("key", "paymentConfig").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();

        SingleJobs jobs = new SingleJobs(api, token);
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("completed");

        assertThat(count("yolo.jobs.started") - started).isEqualTo(1);
        assertThat(count("yolo.jobs.completed") - completed).isEqualTo(1);
        assertThat(registry.find("yolo.jobs.completed").tag("kind", "single").counter()).isNotNull();
        assertThat(timers() - timed).isEqualTo(12);
        assertThat(registry.find("yolo.substep.duration").tags("key", "paymentConfig", "outcome", "completed")
                .timer()).isNotNull();
        assertThat(registry.find("yolo.substep.retries").tag("key", "paymentConfig").counter().count() - retries)
                .isEqualTo(1);
        assertThat(registry.find("yolo.jobs.running").gauge()).isNotNull();
        assertThat(registry.find("yolo.jobs.queued").gauge()).isNotNull();
        assertThat(registry.find("yolo.jobs.oldest.runnable.age").gauge()).isNotNull();
        assertThat(registry.find("yolo.sse.clients").gauge()).isNotNull();

        String logs = output.getAll();
        assertThat(logs).contains("Job " + jobId + " started").contains("Job " + jobId + " completed")
                .contains("job=" + jobId).contains("subStep=paymentConfig");
        assertThat(logs).doesNotContain("Acc0unt-Secret!").doesNotContain("Onb0arding-Secret!")
                .doesNotContain(TestDownstream.SERVICE_KEY).doesNotContain(token);
    }

    @Test
    void prometheusNeedsTheOpsRole() {
        assertThat(api.get("/actuator/prometheus", null).status()).isEqualTo(401);
        assertThat(api.get("/actuator/prometheus", token).status()).isEqualTo(403);
        String ops = TestTokens.withClaims(organisation, Duration.ofHours(1), Map.of("role", "ops"));
        ApiClient.Response scrape = api.get("/actuator/prometheus", ops);
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).contains("yolo_jobs_running").contains("yolo_jobs_oldest_runnable_age_seconds");
        ApiClient.Response health = api.get("/actuator/health/readiness", ops);
        assertThat(health.json().get("components").has("runner")).isTrue();
        assertThat(health.json().get("components").get("runner").get("details").has("oldestRunnableAgeSeconds"))
                .isTrue();
    }

    @Test
    void theOpenApiDocumentIsPublicAndDescribesEveryEndpoint() {
        ApiClient.Response response = api.get("/v3/api-docs", null);

        assertThat(response.status()).isEqualTo(200);
        JsonNode document = response.json();
        assertThat(document.get("openapi").asString()).startsWith("3.");
        List<String> paths = new ArrayList<>(document.get("paths").propertyNames());
        assertThat(paths).contains(
                "/api/registration/execute-single-restaurant",
                "/api/registration/single-restaurant-progress/{restaurantId}",
                "/api/registration/resume-single-restaurant/{restaurantId}",
                "/api/registration/jobs/{jobId}",
                "/api/registration/jobs/{jobId}/events",
                "/api/registration/jobs/{jobId}/history",
                "/api/registration/jobs/{jobId}/cancel",
                "/api/registration/jobs",
                "/api/registration-batches",
                "/api/registration-batches/{batchId}/start",
                "/api/registration-batches/{batchId}/cancel",
                "/api/registration-batches/{batchId}",
                "/api/registration-batches/{batchId}/progress",
                "/api/restaurants");
        assertThat(document.get("components").get("securitySchemes").get("bearer-jwt").get("scheme").asString())
                .isEqualTo("bearer");
        assertThat(document.get("components").get("schemas").has("ExecuteRequest")).isTrue();
        assertThat(api.get("/swagger-ui.html", null).status()).isIn(200, 302);
    }

    private double count(String name) {
        return registry.find(name).counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
    }

    private long timers() {
        return registry.find("yolo.substep.duration").timers().stream().mapToLong(Timer::count).sum();
    }
}
