package io.yolomode.registration.system;

import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text PostgreSQL cannot store (NUL, a lone UTF-16 surrogate) anywhere in a request body
 * is refused with 400 naming its JSON path, and nothing is written: form values and keys,
 * batch names, batch forms and overrides.
 */
class UnstorableTextInputTest extends CallerTestSupport {

    private static final String EXECUTE = "/api/registration/execute-single-restaurant";

    private static final String BATCHES = "/api/registration-batches";

    UUID restaurant;

    @BeforeEach
    void setUp() {
        restaurant = data.restaurant(organisation, "Null Diner");
    }

    @Test
    void nulInAFormValueIsRefusedNamingItsPath() {
        ApiClient.Response response = execute("""
                {"account": {"email": "owner@null.test", "password": "pw-123456", "phone": "\\u0000"}}""");

        assertRefused(response, "formData.account.phone");
        assertThat(response.json().get("error").asString()).contains("cannot be stored");
        assertNothingWritten();
    }

    @Test
    void nulInAFormKeyIsRefusedNamingTheKeyEscaped() {
        ApiClient.Response response = execute("""
                {"website": {"extra": {"bad\\u0000key": 1}}}""");

        assertRefused(response, "formData.website.extra[\"bad\\u0000key\"]");
        assertNothingWritten();
    }

    @Test
    void loneSurrogatesAreRefusedInValuesAndInArrays() {
        assertRefused(execute("""
                {"restaurant": {"name": "Caf\\ud800e"}}"""), "formData.restaurant.name");
        assertRefused(execute("""
                {"notes": ["fine", "\\udc00 low alone"]}"""), "formData.notes[1]");
        assertNothingWritten();
    }

    @Test
    void aPairedSurrogateIsStoredAsSent() {
        ApiClient.Response response = execute("""
                {"restaurant": {"name": "Smile \\ud83d\\ude00"}}""");

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        jobs.awaitEnd(UUID.fromString(response.json().get("jobId").asString()));
        String stored = jdbc
            .sql("select execution_config -> 'restaurant' ->> 'name' from registration_jobs"
                    + " where restaurant_id = ?")
            .param(restaurant)
            .query(String.class)
            .single();
        assertThat(stored).isEqualTo("Smile \uD83D\uDE00");
    }

    @Test
    void nulInABatchNameFormOrOverrideIsRefusedAndNoBatchIsWritten() {
        String ids = "[\"" + restaurant + "\"]";
        assertRefused(api.postJson(BATCHES, token, """
                {"name": "Batch\\u0000", "restaurantIds": %s, "executionConfig": {}}""".formatted(ids)), "name");
        assertRefused(api.postJson(BATCHES, token, """
                {"name": "Batch", "restaurantIds": %s,
                 "executionConfig": {"onboarding": {"userName": "x\\u0000"}}}""".formatted(ids)),
                "executionConfig.onboarding.userName");
        assertRefused(api.postJson(BATCHES, token, """
                {"name": "Batch", "restaurantIds": %s, "executionConfig": {},
                 "overrides": {"%s": {"account": {"password": "\\u0000"}}}}""".formatted(ids, restaurant)),
                "overrides.%s.account.password".formatted(restaurant));
        assertNothingWritten();
    }

    private ApiClient.Response execute(String formData) {
        return api.postJson(EXECUTE, token,
                "{\"restaurantId\": \"" + restaurant + "\", \"formData\": " + formData + "}");
    }

    private static void assertRefused(ApiClient.Response response, String path) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("success").asBoolean()).isFalse();
        assertThat(problem.get("path").asString()).isEqualTo(path);
        assertThat(problem.get("error").asString()).contains("'" + path + "'");
    }

    private void assertNothingWritten() {
        assertThat(jdbc.sql("select count(*) from registration_jobs where organisation_id = ?")
            .param(organisation)
            .query(Long.class)
            .single()).isZero();
        assertThat(jdbc.sql("select count(*) from registration_batch_jobs where organisation_id = ?")
            .param(organisation)
            .query(Long.class)
            .single()).isZero();
    }

}
