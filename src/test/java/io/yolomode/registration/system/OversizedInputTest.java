package io.yolomode.registration.system;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Oversized and deep input through the real API: nesting deeper than 32, a string or key
 * longer than 10,000 characters, a number no column holds, more than 1,000 restaurants in
 * a batch, a restaurant listed twice: 400 saying what is wrong, and nothing is written.
 * Input at the limits is accepted.
 */
class OversizedInputTest extends CallerTestSupport {

    private static final String EXECUTE = "/api/registration/execute-single-restaurant";

    private static final String BATCHES = "/api/registration-batches";

    UUID restaurant;

    @BeforeEach
    void setUp() {
        restaurant = data.restaurant(organisation, "Big Input Cafe");
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedNamingWhere() {
        ApiClient.Response response = execute("{\"deep\": " + "[".repeat(31) + "]".repeat(31) + "}");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("success").asBoolean()).isFalse();
        assertThat(response.json().get("error").asString()).contains("nesting deeper than 32");
        assertThat(response.json().get("path").asString()).startsWith("formData.deep[0][0]");
        assertThat(jobCount()).isZero();
    }

    @Test
    void nestingAtTheLimitIsAccepted() {
        ApiClient.Response response = execute("{\"deep\": " + "[".repeat(30) + "]".repeat(30) + "}");

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        jobs.awaitEnd(UUID.fromString(response.json().get("jobId").asString()));
    }

    @Test
    void stringsAndKeysLongerThanTheLimitAreRefusedAndOneAtTheLimitIsAccepted() {
        assertRefused(execute("{\"notes\": \"" + "x".repeat(10_001) + "\"}"), "formData.notes",
                "longer than 10000 characters");
        assertRefused(execute("{\"" + "k".repeat(10_001) + "\": 1}"), "formData[\"" + "k".repeat(64) + "...\"]",
                "a key longer than 10000 characters");
        assertThat(jobCount()).isZero();

        ApiClient.Response atLimit = execute("{\"notes\": \"" + "\uD83D\uDE00".repeat(10_000) + "\"}");
        assertThat(atLimit.status()).as(atLimit.toString()).isEqualTo(202);
        jobs.awaitEnd(UUID.fromString(atLimit.json().get("jobId").asString()));
    }

    @Test
    void aNumberBeyondWhatCanBeStoredIsRefused() {
        assertRefused(execute("{\"menu\": {\"extra\": [1, 1e400]}}"), "formData.menu.extra[1]",
                "a number beyond what can be stored");
        assertThat(jobCount()).isZero();
    }

    @Test
    void aBatchOfMoreThanAThousandRestaurantsOrWithDuplicatesIsRefusedAndNothingIsWritten() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            ids.add("\"" + UUID.randomUUID() + "\"");
        }
        ApiClient.Response tooMany = api.postJson(BATCHES, token,
                "{\"name\": \"Huge\", \"restaurantIds\": [" + String.join(",", ids) + "], \"executionConfig\": {}}");
        assertThat(tooMany.status()).as(tooMany.toString()).isEqualTo(400);
        assertThat(tooMany.json().get("success").asBoolean()).isFalse();
        assertThat(tooMany.json().get("error").asString()).contains("restaurantIds", "1000");

        ApiClient.Response twice = api.postJson(BATCHES, token, "{\"name\": \"Twice\", \"restaurantIds\": [\""
                + restaurant + "\", \"" + restaurant + "\"], \"executionConfig\": {}}");
        assertThat(twice.status()).as(twice.toString()).isEqualTo(400);
        assertThat(twice.json().get("error").asString()).contains("more than once");
        JsonNode invalid = twice.json().get("invalidRestaurantIds");
        assertThat(invalid.size()).isEqualTo(1);
        assertThat(invalid.get(0).asString()).isEqualTo(restaurant.toString());

        assertThat(jdbc.sql("select count(*) from registration_batch_jobs where organisation_id = ?")
            .param(organisation)
            .query(Long.class)
            .single()).isZero();
        assertThat(jobCount()).isZero();
    }

    private ApiClient.Response execute(String formData) {
        return api.postJson(EXECUTE, token,
                "{\"restaurantId\": \"" + restaurant + "\", \"formData\": " + formData + "}");
    }

    private static void assertRefused(ApiClient.Response response, String path, String problem) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("success").asBoolean()).isFalse();
        assertThat(response.json().get("path").asString()).isEqualTo(path);
        assertThat(response.json().get("error").asString()).contains(problem);
    }

    private long jobCount() {
        return jdbc.sql("select count(*) from registration_jobs where organisation_id = ?")
            .param(organisation)
            .query(Long.class)
            .single();
    }

}
