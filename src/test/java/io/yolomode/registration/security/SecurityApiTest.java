package io.yolomode.registration.security;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.IntegrationTest;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real filter chain: who gets in, who does not, and that every refusal is a problem
 * document the frontend can read.
 */
@IntegrationTest
class SecurityApiTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    ApiClient api;

    UUID organisation;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        organisation = new TestData(jdbc).organisation();
    }

    @Test
    void noTokenIsUnauthorized() {
        assertProblem(api.get("/api/restaurants", null), 401, "bearer token");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsUnauthorized() {
        assertProblem(api.get("/api/restaurants", TestTokens.signedWithAnotherSecret(organisation)), 401, "not valid");
    }

    @Test
    void anExpiredTokenIsUnauthorized() {
        String expired = TestTokens.withClaims(organisation, Duration.ofMinutes(-10), Map.of());
        assertProblem(api.get("/api/restaurants", expired), 401, "expired");
    }

    @Test
    void garbageInsteadOfATokenIsUnauthorized() {
        assertProblem(api.get("/api/restaurants", "not.a.jwt"), 401, "not valid");
    }

    @Test
    void aValidTokenWithoutOrganisationIsForbidden() {
        String noOrganisation = TestTokens.withClaims(null, Duration.ofHours(1), Map.of());
        assertProblem(api.get("/api/restaurants", noOrganisation), 403, "organisation");
    }

    @Test
    void anOrganisationThatIsNoUuidIsForbidden() {
        String odd = TestTokens.withClaims(null, Duration.ofHours(1), Map.of("organisation_id", "acme"));
        assertProblem(api.get("/api/restaurants", odd), 403, "organisation");
    }

    @Test
    void organisationIsAlsoReadFromOrgIdAndAppMetadata() {
        TestData data = new TestData(jdbc);
        UUID restaurant = data.restaurant(organisation, "Claims Cafe");
        String orgId = TestTokens.withClaims(null, Duration.ofHours(1), Map.of("org_id", organisation.toString()));
        String appMetadata = TestTokens.withClaims(null, Duration.ofHours(1),
                Map.of("app_metadata", Map.of("organisation_id", organisation.toString())));

        assertThat(api.get("/api/restaurants/" + restaurant, orgId).status()).isEqualTo(200);
        assertThat(api.get("/api/restaurants/" + restaurant, appMetadata).status()).isEqualTo(200);
    }

    @Test
    void healthAndInfoAreOpenAndHealthIsUp() {
        ApiClient.Response health = api.get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().has("components")).isFalse();
        assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
        assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(200);
        assertThat(api.get("/actuator/info", null).status()).isEqualTo(200);
    }

    @Test
    void theRestOfActuatorNeedsTheOpsRole() {
        assertThat(api.get("/actuator/metrics", null).status()).isEqualTo(401);
        assertThat(api.get("/actuator/metrics", TestTokens.forOrganisation(organisation)).status()).isEqualTo(403);
        String ops = TestTokens.withClaims(organisation, Duration.ofHours(1), Map.of("role", "ops"));
        assertThat(api.get("/actuator/metrics", ops).status()).isEqualTo(200);
        ApiClient.Response health = api.get("/actuator/health", ops);
        assertThat(health.json().get("components").has("db")).isTrue();
    }

    @Test
    void unknownApiPathIsNotFound() {
        assertProblem(api.get("/api/no-such-thing", TestTokens.forOrganisation(organisation)), 404, "");
    }

    @Test
    void wrongMethodIsMethodNotAllowed() {
        assertProblem(api.send("DELETE", "/api/restaurants", TestTokens.forOrganisation(organisation), null, null), 405,
                "");
    }

    @Test
    void bodyOverTheLimitIsTooLarge() {
        String huge = "{\"x\":\"" + "a".repeat(300 * 1024) + "\"}";
        assertProblem(api.send("POST", "/api/restaurants", TestTokens.forOrganisation(organisation), "application/json",
                huge), 413, "larger than");
    }

    private static void assertProblem(ApiClient.Response response, int status, String messagePart) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("success").asBoolean()).isFalse();
        assertThat(response.json().get("status").asInt()).isEqualTo(status);
        assertThat(response.json().get("error").asString()).isNotBlank().containsIgnoringCase(messagePart);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.yolomode");
    }

}
