package io.yolomode.registration.single;

import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestDownstream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.yolomode.registration.testsupport.SingleJobs.subStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the downstream's failures do to a run: which are retried, which fail at once, what
 * stays pending, and how a later execute picks up from there.
 */
class SubStepFailureTest extends CallerTestSupport {

    private static final String MENU_IMPORT = "/api/registration/import-menu-direct";

    private static final String PAYMENT = "/api/registration/configure-payment";

    UUID restaurant;

    UUID menu;

    @BeforeEach
    void setUp() {
        restaurant = data.restaurant(organisation, "Failure Cafe");
        menu = data.menu(restaurant, "Dinner");
    }

    @Test
    void permanentMenuImportFailureBlocksItsFollowUpsAndAnExecuteResumesOnlyThose() {
        TestDownstream.stub(TestDownstream.callOf(restaurant, MENU_IMPORT)
            .willReturn(TestDownstream.status(422, "{\"success\": false, \"message\": \"menu has no items\"}")));
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        JsonNode failed = jobs.awaitEnd(jobId);

        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("error").asString())
            .isEqualTo("Failed sub-steps: menuImport (HTTP 422: menu has no items); blocked: optionSets, itemTags");
        JsonNode menuImport = subStep(failed, "phase2", "menuImport");
        assertThat(menuImport.get("status").asString()).isEqualTo("failed");
        assertThat(menuImport.get("attempts").asInt()).isEqualTo(1);
        assertThat(menuImport.get("error").asString()).isEqualTo("HTTP 422: menu has no items");
        for (String other : List.of("restaurantRegistration", "websiteConfig", "servicesConfig", "paymentConfig",
                "syncOnboardingUser")) {
            assertThat(subStep(failed, "phase2", other).get("status").asString()).as(other).isEqualTo("completed");
        }
        for (String[] blocked : new String[][] { { "phase3", "optionSets" }, { "phase4", "itemTags" } }) {
            JsonNode entry = subStep(failed, blocked[0], blocked[1]);
            assertThat(entry.get("status").asString()).isEqualTo("pending");
            assertThat(entry.get("blocked_by").get(0).asString()).isEqualTo("menuImport");
        }
        assertThat(TestDownstream.callsOf(jobId, "menuImport")).hasSize(1);
        assertThat(TestDownstream.callsOf(jobId)).hasSize(10);

        TestDownstream.reset();
        ApiClient.Response again = jobs.execute(restaurant, SingleJobs.fullForm(menu));
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("jobId").asString()).isEqualTo(jobId.toString());
        JsonNode resumed = jobs.awaitEnd(jobId);

        assertThat(resumed.get("status").asString()).isEqualTo("completed");
        assertThat(resumed.get("error")).isNull();
        assertThat(TestDownstream.callsOf(jobId)).extracting(call -> call.getHeader("Idempotency-Key"))
            .containsExactlyInAnyOrder(jobId + ":menuImport:2", jobId + ":optionSets", jobId + ":itemTags");
        assertThat(subStep(resumed, "phase3", "optionSets").has("blocked_by")).isFalse();
    }

    @Test
    void twoServiceUnavailableAnswersThenSuccessTakesThreeAttemptsAndShowsRetrying() {
        TestDownstream.answersInTurn(restaurant, PAYMENT, TestDownstream.status(503, "{\"message\": \"busy\"}"),
                TestDownstream.status(503, "{\"message\": \"still busy\"}").withFixedDelay(1500),
                TestDownstream.okJson("{\"success\": true, \"linkId\": \"acct_1\"}"));
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));

        JsonNode retrying = await().until(() -> jobs.progress(restaurant),
                progress -> "retrying".equals(subStep(progress, "phase2", "paymentConfig").get("status").asString()));
        JsonNode entry = subStep(retrying, "phase2", "paymentConfig");
        assertThat(entry.get("attempt").asInt()).isEqualTo(2);
        assertThat(entry.get("previous_error").asString()).isEqualTo("HTTP 503: busy");
        assertThat(retrying.get("phases").get("phase2").get("status").asString()).isEqualTo("in_progress");

        JsonNode done = jobs.awaitEnd(jobId);
        assertThat(done.get("status").asString()).isEqualTo("completed");
        JsonNode payment = subStep(done, "phase2", "paymentConfig");
        assertThat(payment.get("attempts").asInt()).isEqualTo(3);
        assertThat(payment.get("result").get("linkId").asString()).isEqualTo("acct_1");
        List<LoggedRequest> calls = TestDownstream.callsOf(jobId, "paymentConfig");
        assertThat(calls).hasSize(3);
        assertThat(calls).extracting(call -> call.getHeader("X-Request-ID")).doesNotHaveDuplicates();
        assertThat(calls).extracting(call -> call.getHeader("Idempotency-Key")).containsOnly(jobId + ":paymentConfig");
        ApiClient.Response historyResponse = api.get("/api/registration/jobs/" + jobId + "/history", token);
        assertThat(historyResponse.status()).isEqualTo(200);
        List<String> history = new java.util.ArrayList<>();
        long previousSequence = -1;
        for (JsonNode event : historyResponse.json()) {
            assertThat(event.get("sequence").asLong()).isGreaterThan(previousSequence);
            previousSequence = event.get("sequence").asLong();
            if ("paymentConfig".equals(event.path("subStep").asString(null))) {
                history.add(event.get("status").asString() + ":" + event.get("attempt").asInt());
            }
        }
        assertThat(historyResponse.json().get(0).get("type").asString()).isEqualTo("job_created");
        assertThat(history).containsExactly("in_progress:1", "retrying:2", "retrying:3", "completed:3");
    }

    @Test
    void retryAfterIsHonoured() {
        TestDownstream.answersInTurn(restaurant, PAYMENT,
                TestDownstream.status(503, "{\"message\": \"maintenance\"}").withHeader("Retry-After", "2"),
                TestDownstream.okJson("{\"success\": true}"));
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));

        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("completed");
        List<LoggedRequest> calls = TestDownstream.callsOf(jobId, "paymentConfig");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).getLoggedDate().getTime() - calls.get(0).getLoggedDate().getTime())
            .isGreaterThanOrEqualTo(2000);
    }

    @Test
    void aBadRequestFailsAtOnceWithoutRetry() {
        TestDownstream.stub(TestDownstream.callOf(restaurant, PAYMENT)
            .willReturn(TestDownstream.status(400, "{\"error\": \"stripe account missing\"}")));
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        JsonNode done = jobs.awaitEnd(jobId);

        assertThat(done.get("status").asString()).isEqualTo("failed");
        assertThat(done.get("error").asString())
            .isEqualTo("Failed sub-steps: paymentConfig (HTTP 400: stripe account missing)");
        assertThat(subStep(done, "phase2", "paymentConfig").get("error").asString())
            .isEqualTo("HTTP 400: stripe account missing");
        assertThat(TestDownstream.callsOf(jobId, "paymentConfig")).hasSize(1);
        assertThat(subStep(done, "phase3", "optionSets").get("status").asString()).isEqualTo("completed");
    }

    @Test
    void successFalseInAnOkAnswerFails() {
        TestDownstream.stub(TestDownstream.callOf(restaurant, PAYMENT)
            .willReturn(TestDownstream.okJson("{\"success\": false, \"message\": \"payments disabled\"}")));
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        JsonNode done = jobs.awaitEnd(jobId);

        assertThat(done.get("status").asString()).isEqualTo("failed");
        assertThat(subStep(done, "phase2", "paymentConfig").get("error").asString()).isEqualTo("payments disabled");
        assertThat(TestDownstream.callsOf(jobId, "paymentConfig")).hasSize(1);
    }

    @Test
    void retryableTrueInAFailedAnswerIsRetried() {
        TestDownstream.answersInTurn(restaurant, PAYMENT,
                TestDownstream.status(409, "{\"success\": false, \"message\": \"locked\", \"retryable\": true}"),
                TestDownstream.okJson("{\"success\": true}"));
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));

        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("completed");
        assertThat(TestDownstream.callsOf(jobId, "paymentConfig")).hasSize(2);
    }

    @Test
    void anAnswerSlowerThanTheTimeoutIsRetriedThenFails() {
        TestDownstream.succeedAfter(restaurant, "/api/registration/configure-services", 1500);
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        JsonNode done = jobs.awaitEnd(jobId);

        assertThat(done.get("status").asString()).isEqualTo("failed");
        JsonNode services = subStep(done, "phase2", "servicesConfig");
        assertThat(services.get("status").asString()).isEqualTo("failed");
        assertThat(services.get("attempts").asInt()).isEqualTo(3);
        assertThat(services.get("error").asString()).contains("no answer within").contains("gave up after 3 attempts");
        assertThat(TestDownstream.callsOf(jobId, "servicesConfig")).hasSize(3);
        assertThat(done.get("error").asString()).startsWith("Failed sub-steps: servicesConfig");
    }

    @Test
    void aFailedRequirementLeavesItsDependentsPendingAndTheJobFailed() {
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/register-account")
            .willReturn(TestDownstream.status(409, "{\"message\": \"email already registered\"}")));
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        JsonNode done = jobs.awaitEnd(jobId);

        assertThat(done.get("status").asString()).isEqualTo("failed");
        assertThat(done.get("error").asString())
            .isEqualTo("Failed sub-steps: cloudwaitressAccount (HTTP 409: email already registered); blocked: "
                    + "restaurantRegistration, websiteConfig, servicesConfig, paymentConfig, menuImport, "
                    + "syncOnboardingUser, optionSets, itemTags");
        JsonNode registration = subStep(done, "phase2", "restaurantRegistration");
        assertThat(registration.get("status").asString()).isEqualTo("pending");
        assertThat(registration.get("blocked_by").get(0).asString()).isEqualTo("cloudwaitressAccount");
        JsonNode website = subStep(done, "phase2", "websiteConfig");
        assertThat(website.get("blocked_by").get(0).asString()).isEqualTo("restaurantRegistration");
        assertThat(done.get("phases").get("phase2").get("status").asString()).isEqualTo("failed");
        assertThat(TestDownstream.callsOf(jobId)).hasSize(4);
    }

}
