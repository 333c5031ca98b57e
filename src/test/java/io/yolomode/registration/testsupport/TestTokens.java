package io.yolomode.registration.testsupport;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.security.HmacTokens;

/**
 * Tokens signed with the test profile's secret, and one signed with another secret.
 */
public final class TestTokens {

    public static final String SECRET = "test-secret-for-integration-tests-only-0123456789";

    private static final HmacTokens TOKENS = new HmacTokens(SECRET);

    private TestTokens() {
    }

    public static String forOrganisation(UUID organisationId) {
        return TOKENS.issue("user-" + organisationId, organisationId, Duration.ofHours(1), Map.of());
    }

    public static String withClaims(UUID organisationId, Duration validity, Map<String, Object> claims) {
        return TOKENS.issue("user", organisationId, validity, claims);
    }

    public static String signedWithAnotherSecret(UUID organisationId) {
        return new HmacTokens("a-completely-different-secret-0123456789-abcdef").issue("intruder", organisationId,
                Duration.ofHours(1), Map.of());
    }

}
