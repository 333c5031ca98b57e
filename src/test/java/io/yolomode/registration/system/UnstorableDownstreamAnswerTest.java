package io.yolomode.registration.system;

import java.util.UUID;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestDownstream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.yolomode.registration.testsupport.SingleJobs.subStep;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers of the registration API with text PostgreSQL cannot store (NUL in JSON, a raw
 * NUL byte, a surrogate pair cut by truncation) are stored with U+FFFD in its place, and
 * every sub-step ends as it would have: once, without the run dying on its write and the
 * job being taken over.
 */
class UnstorableDownstreamAnswerTest extends CallerTestSupport {

    private static final String REPLACED = "\uFFFD";

    @Test
    void answersWithUnstorableTextAreStoredReplacedAndEverySubStepEndsOnce() {
        UUID restaurant = data.restaurant(organisation, "Nul Answers");
        UUID menu = data.menu(restaurant, "Lunch");
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/generate-code-injections")
            .willReturn(TestDownstream.okJson("{\"success\": true, \"codeInjectionId\": \"ci\\u0000-7\"}")));
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/configure-payment")
            .willReturn(TestDownstream
                .okJson("{\"success\": true, \"linkId\": \"acct\\u0000_1\", \"k\\u0000\": \"\\ud800\"}")));
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/configure-services")
            .willReturn(WireMock.aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "text/plain")
                .withBody("ok\u0000done")));
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/import-menu-direct")
            .willReturn(TestDownstream.status(422, "{\"success\": false, \"message\": \"menu \\u0000 bad\"}")));
        StringBuilder large = new StringBuilder("{\"pad\":\"").append("a".repeat(1015)).append("\uD83D\uDE00");
        large.append("b".repeat(17_000)).append("\"}");
        TestDownstream.stub(WireMock.post(WireMock.urlPathMatching("/api/menus/.*/upload-images"))
            .atPriority(1)
            .willReturn(TestDownstream.okJson(large.toString())));

        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        JsonNode done = jobs.awaitEnd(jobId);

        assertThat(done.get("status").asString()).isEqualTo("failed");
        assertThat(done.get("error").asString()).contains("menuImport (HTTP 422: menu " + REPLACED + " bad)");
        assertThat(subStep(done, "phase1", "codeGeneration").get("status").asString()).isEqualTo("completed");
        assertThat(done.get("context").get("codeInjectionId").asString()).isEqualTo("ci" + REPLACED + "-7");
        JsonNode payment = subStep(done, "phase2", "paymentConfig");
        assertThat(payment.get("status").asString()).isEqualTo("completed");
        assertThat(payment.get("result").get("linkId").asString()).isEqualTo("acct" + REPLACED + "_1");
        assertThat(payment.get("result").get("k" + REPLACED).asString()).isEqualTo(REPLACED);
        JsonNode services = subStep(done, "phase2", "servicesConfig");
        assertThat(services.get("status").asString()).isEqualTo("completed");
        assertThat(services.get("result").get("body").asString()).isEqualTo("ok" + REPLACED + "done");
        JsonNode images = subStep(done, "phase1", "uploadImages");
        assertThat(images.get("status").asString()).isEqualTo("completed");
        assertThat(images.get("result").get("truncated").asBoolean()).isTrue();
        assertThat(images.get("result").get("preview").asString()).endsWith("a" + REPLACED);
        assertThat(subStep(done, "phase2", "websiteConfig").get("status").asString()).isEqualTo("completed");
        assertThat(TestDownstream.callsOf(jobId, "websiteConfig").get(0).getBodyAsString())
            .contains("ci" + REPLACED + "-7");

        for (String key : new String[] { "codeGeneration", "paymentConfig", "servicesConfig", "menuImport",
                "uploadImages", "websiteConfig" }) {
            assertThat(TestDownstream.callsOf(jobId, key)).as(key).hasSize(1);
        }
        assertThat(jdbc.sql("select takeover_count from registration_jobs where id = ?")
            .param(jobId)
            .query(Integer.class)
            .single()).isZero();
        String history = api.get("/api/registration/jobs/" + jobId + "/history", token).body();
        assertThat(history).contains("menu " + REPLACED + " bad").doesNotContain("job_taken_over");
    }

}
