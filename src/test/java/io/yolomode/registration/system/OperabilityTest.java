package io.yolomode.registration.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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
import static org.awaitility.Awaitility.await;

/**
 * What operators and curl users rely on: the yolo.* meters move as a run goes, metrics
 * need the ops role, the logs of a run name it and carry no secret, and the OpenAPI
 * document describes every endpoint.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperabilityTest extends CallerTestSupport {

    @Autowired
    MeterRegistry registry;

    @Test
    void aCompletedRunMovesTheJobCountersTimesTwelveSubStepsAndShowsInTheRunningGauge(CapturedOutput output) {
        TestData data = new TestData(jdbc);
        UUID restaurant = data.restaurant(organisation, "Metered Meals");
        UUID menu = data.menu(restaurant, "Dinner");
        await().atMost(Duration.ofSeconds(30)).until(() -> gauge("yolo.jobs.running") == 0);
        double started = count("yolo.jobs.started", "single");
        double completed = count("yolo.jobs.completed", "single");
        double failed = count("yolo.jobs.failed", "single");
        double batchStarted = count("yolo.jobs.started", "batch");
        long timed = timers();
        Timer payment = registry.timer("yolo.substep.duration", "key", "paymentConfig", "outcome", "completed");
        long paymentCount = payment.count();
        double paymentSeconds = payment.totalTime(TimeUnit.SECONDS);
        DistributionSummary attempts = registry.summary("yolo.substep.attempts", "key", "paymentConfig");
        long attemptsCount = attempts.count();
        double attemptsTotal = attempts.totalAmount();
        double retries = count("yolo.substep.retries", null);
        // One 503, then a late success: one retry, two attempts, and a duration of at
        // least the late answer.
        TestDownstream.answersInTurn(restaurant, "/api/registration/configure-payment",
                TestDownstream.status(503, "{\"message\": \"busy\"}"),
                TestDownstream.okJson("{\"success\": true}").withFixedDelay(1500));

        SingleJobs jobs = new SingleJobs(api, token);
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        await().atMost(Duration.ofSeconds(30)).until(() -> TestDownstream.callsOf(jobId, "paymentConfig").size() == 2);
        assertThat(gauge("yolo.jobs.running")).as("the job runs on this instance").isEqualTo(1);
        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("completed");

        await().atMost(Duration.ofSeconds(10)).until(() -> gauge("yolo.jobs.running") == 0);
        assertThat(count("yolo.jobs.started", "single") - started).isEqualTo(1);
        assertThat(count("yolo.jobs.completed", "single") - completed).isEqualTo(1);
        assertThat(count("yolo.jobs.failed", "single") - failed).isZero();
        assertThat(count("yolo.jobs.started", "batch") - batchStarted).isZero();
        assertThat(timers() - timed).isEqualTo(12);
        assertThat(payment.count() - paymentCount).isEqualTo(1);
        assertThat(payment.totalTime(TimeUnit.SECONDS) - paymentSeconds).as("from the first call to the end")
            .isGreaterThanOrEqualTo(1.5);
        assertThat(attempts.count() - attemptsCount).isEqualTo(1);
        assertThat(attempts.totalAmount() - attemptsTotal).isEqualTo(2);
        assertThat(count("yolo.substep.retries", null) - retries).as("only paymentConfig was retried").isEqualTo(1);
        assertThat(registry.get("yolo.substep.retries").tag("key", "paymentConfig").counter().count())
            .isGreaterThanOrEqualTo(1);

        String logs = output.getAll();
        assertThat(logs).contains("Job " + jobId + " started")
            .contains("Job " + jobId + " completed")
            .contains("job=" + jobId)
            .contains("subStep=paymentConfig");
        assertThat(logs).doesNotContain("Acc0unt-Secret!")
            .doesNotContain("Onb0arding-Secret!")
            .doesNotContain(TestDownstream.SERVICE_KEY)
            .doesNotContain(token);
    }

    @Test
    void aFailedRunCountsAsFailedWithItsSubStepOutcome() {
        UUID restaurant = data.restaurant(organisation, "Failing Meals");
        double failed = count("yolo.jobs.failed", "single");
        double completed = count("yolo.jobs.completed", "single");
        Timer paymentFailed = registry.timer("yolo.substep.duration", "key", "paymentConfig", "outcome", "failed");
        long paymentFailures = paymentFailed.count();
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/configure-payment")
            .willReturn(TestDownstream.status(400, "{\"message\": \"no\"}")));

        UUID jobId = jobs.start(restaurant, Map.of());
        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("failed");

        assertThat(count("yolo.jobs.failed", "single") - failed).isEqualTo(1);
        assertThat(count("yolo.jobs.completed", "single") - completed).isZero();
        assertThat(paymentFailed.count() - paymentFailures).isEqualTo(1);
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
        assertThat(paths).contains("/api/registration/execute-single-restaurant",
                "/api/registration/single-restaurant-progress/{restaurantId}",
                "/api/registration/resume-single-restaurant/{restaurantId}", "/api/registration/jobs/{jobId}",
                "/api/registration/jobs/{jobId}/events", "/api/registration/jobs/{jobId}/history",
                "/api/registration/jobs/{jobId}/cancel", "/api/registration/jobs", "/api/registration-batches",
                "/api/registration-batches/{batchId}/start", "/api/registration-batches/{batchId}/cancel",
                "/api/registration-batches/{batchId}", "/api/registration-batches/{batchId}/progress",
                "/api/restaurants");
        assertThat(document.get("components").get("securitySchemes").get("bearer-jwt").get("scheme").asString())
            .isEqualTo("bearer");
        assertThat(document.get("components").get("schemas").has("ExecuteRequest")).isTrue();
        assertThat(api.get("/swagger-ui.html", null).status()).isIn(200, 302);
    }

    /** The counter's sum over its tags, or over the {@code kind} given. */
    private double count(String name, String kind) {
        var search = kind == null ? registry.find(name) : registry.find(name).tag("kind", kind);
        return search.counters().stream().mapToDouble(Counter::count).sum();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private long timers() {
        return registry.find("yolo.substep.duration").timers().stream().mapToLong(Timer::count).sum();
    }

}
