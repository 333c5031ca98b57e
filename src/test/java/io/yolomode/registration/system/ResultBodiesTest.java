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
 * What is kept of an answer as the sub-step's {@code result}: a JSON object up to
 * {@code registration.downstream.result-max-size} (16 KB) as it came; a larger body as
 * {@code {truncated: true, size, preview}} with the first 1,024 characters; a body that
 * is not a JSON object as {@code {body: "..."}}; an empty body as an empty result.
 */
class ResultBodiesTest extends CallerTestSupport {

    private static final int LIMIT = 16 * 1024;

    @Test
    void bodiesUpToTheLimitAreKeptLargerOnesTruncatedAndOthersKeptAsBody() {
        UUID restaurant = data.restaurant(organisation, "Verbose Venue");
        UUID menu = data.menu(restaurant, "Dinner");
        String atLimit = jsonOfLength(LIMIT, 'a');
        String overLimit = jsonOfLength(LIMIT + 1, 'b');
        stub(restaurant, "/api/registration/configure-payment", "application/json", atLimit);
        stub(restaurant, "/api/registration/configure-services", "application/json", overLimit);
        stub(restaurant, "/api/registration/configure-website", "text/plain", "website configured");
        stub(restaurant, "/api/registration/register-account", "text/html", "<html><body>ok</body></html>");
        stub(restaurant, "/api/registration/import-menu-direct", "application/json", "[\"item-1\", \"item-2\"]");
        stub(restaurant, "/api/registration/register-restaurant", "application/json", "");

        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        JsonNode done = jobs.awaitEnd(jobId);

        assertThat(done.get("status").asString()).isEqualTo("completed");
        JsonNode kept = subStep(done, "phase2", "paymentConfig").get("result");
        assertThat(kept.has("truncated")).isFalse();
        assertThat(kept.get("pad").asString()).hasSize(LIMIT - "{\"success\":true,\"pad\":\"\"}".length());
        JsonNode truncated = subStep(done, "phase2", "servicesConfig").get("result");
        assertThat(truncated.propertyNames()).containsExactlyInAnyOrder("truncated", "size", "preview");
        assertThat(truncated.get("truncated").asBoolean()).isTrue();
        assertThat(truncated.get("size").asInt()).isEqualTo(LIMIT + 1);
        assertThat(truncated.get("preview").asString()).isEqualTo(overLimit.substring(0, 1024));
        assertThat(subStep(done, "phase2", "websiteConfig").get("result").get("body").asString())
            .isEqualTo("website configured");
        assertThat(subStep(done, "phase1", "cloudwaitressAccount").get("result").get("body").asString())
            .isEqualTo("<html><body>ok</body></html>");
        assertThat(subStep(done, "phase2", "menuImport").get("result").get("body").asString())
            .isEqualTo("[\"item-1\", \"item-2\"]");
        JsonNode empty = subStep(done, "phase2", "restaurantRegistration").path("result");
        assertThat(empty.isMissingNode() || empty.isEmpty()).as(String.valueOf(empty)).isTrue();
        String stored = jdbc
            .sql("select sub_step_progress::text from registration_job_steps where registration_job_id = ?")
            .param(jobId)
            .query(String.class)
            .single();
        assertThat(stored).doesNotContain("b".repeat(1025));
    }

    /** A JSON object of exactly the given length in characters. */
    private static String jsonOfLength(int length, char fill) {
        String empty = "{\"success\":true,\"pad\":\"\"}";
        String json = "{\"success\":true,\"pad\":\"" + String.valueOf(fill).repeat(length - empty.length()) + "\"}";
        assertThat(json).hasSize(length);
        return json;
    }

    private static void stub(UUID restaurant, String path, String contentType, String body) {
        TestDownstream.stub(TestDownstream.callOf(restaurant, path)
            .willReturn(WireMock.aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body)));
    }

}
