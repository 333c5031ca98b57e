package io.yolomode.registration.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Roles come from the token's {@code role} and {@code roles} claims and the same under
 * {@code app_metadata} (Supabase keeps them there): {@code ops} and {@code super_admin}
 * read actuator beyond health and info, and a super admin lists another organisation's
 * jobs. Any other role, or a role claim elsewhere, grants nothing.
 */
class RolesFromClaimsTest extends CallerTestSupport {

    private static final String METRICS = "/actuator/prometheus";

    @Test
    void opsAndSuperAdminAreReadFromRoleRolesAndAppMetadata() {
        assertThat(status(METRICS, Map.of("role", "ops"))).isEqualTo(200);
        assertThat(status(METRICS, Map.of("roles", List.of("viewer", "ops")))).isEqualTo(200);
        assertThat(status(METRICS, Map.of("roles", "super_admin"))).isEqualTo(200);
        assertThat(status(METRICS, Map.of("app_metadata", Map.of("role", "ops")))).isEqualTo(200);
        assertThat(status(METRICS, Map.of("app_metadata", Map.of("roles", List.of("super_admin"))))).isEqualTo(200);

        assertThat(status(METRICS, Map.of())).isEqualTo(403);
        assertThat(status(METRICS, Map.of("roles", List.of("viewer", "admin")))).isEqualTo(403);
        assertThat(status(METRICS, Map.of("app_metadata", Map.of("roles", List.of("viewer"))))).isEqualTo(403);
        assertThat(status(METRICS, Map.of("user_metadata", Map.of("roles", List.of("ops")))))
            .as("user_metadata is the user's own to edit")
            .isEqualTo(403);
        assertThat(status(METRICS, Map.of("role", "OPS"))).as("role names are exact").isEqualTo(403);
    }

    @Test
    void aSuperAdminFromAppMetadataListsAnotherOrganisationsJobsAndOthersMayNot() {
        UUID other = data.organisation();
        String path = "/api/registration/jobs?organisationId=" + other;

        ApiClient.Response asSuperAdmin = api.get(path, TestTokens.withClaims(organisation, Duration.ofHours(1),
                Map.of("app_metadata", Map.of("roles", List.of("super_admin")))));
        ApiClient.Response asOps = api.get(path,
                TestTokens.withClaims(organisation, Duration.ofHours(1), Map.of("roles", List.of("ops"))));

        assertThat(asSuperAdmin.status()).as(asSuperAdmin.toString()).isEqualTo(200);
        assertThat(asSuperAdmin.json().get("totalElements").asLong()).isZero();
        assertThat(asOps.status()).as(asOps.toString()).isEqualTo(403);
        assertThat(api.get(path, token).status()).isEqualTo(403);
    }

    private int status(String path, Map<String, Object> claims) {
        return api.get(path, TestTokens.withClaims(organisation, Duration.ofHours(1), claims)).status();
    }

}
