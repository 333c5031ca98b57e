package io.yolomode.registration.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import javax.crypto.spec.SecretKeySpec;

import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * What a verified token says (docs/design.md, "API" and "Secrets and tokens"): the
 * caller's organisation from the configured claim, then {@code org_id}, then
 * {@code app_metadata.organisation_id}, and only when it is a UUID; roles from
 * {@code role} and {@code roles}, also under {@code app_metadata}; the claim checks
 * ({@code exp} required, the issuer when one is configured, one of the audiences when
 * they are configured); and the shape of the tokens the local profile prints.
 */
class TokenClaimRulesTest {

    private static final UUID ORGANISATION = UUID.randomUUID();

    private static final UUID OTHER = UUID.randomUUID();

    // ---- organisation
    // -------------------------------------------------------------------------------------------

    @Test
    void theOrganisationComesFromTheConfiguredClaimFirst() {
        Jwt jwt = jwt(claims -> {
            claims.put("tenant", ORGANISATION.toString());
            claims.put("organisation_id", OTHER.toString());
            claims.put("org_id", OTHER.toString());
        });

        assertThat(CallerTokens.organisationOf(jwt, "tenant")).contains(ORGANISATION);
        assertThat(CallerTokens.organisationOf(jwt, "organisation_id")).contains(OTHER);
    }

    @Test
    void thenFromOrgIdThenFromAppMetadata() {
        assertThat(CallerTokens.organisationOf(jwt(claims -> {
            claims.put("org_id", ORGANISATION.toString());
            claims.put("app_metadata", Map.of("organisation_id", OTHER.toString()));
        }), "organisation_id")).contains(ORGANISATION);
        assertThat(CallerTokens.organisationOf(jwt(claims -> {
            claims.put("organisation_id", " ");
            claims.put("app_metadata", Map.of("organisation_id", ORGANISATION.toString()));
        }), "organisation_id")).contains(ORGANISATION);
    }

    @Test
    void noOrganisationWhenNoClaimNamesOneOrItIsNotAUuid() {
        assertThat(CallerTokens.organisationOf(jwt(claims -> claims.put("organisation_id", "acme")), "organisation_id"))
            .isEmpty();
        assertThat(CallerTokens.organisationOf(jwt(claims -> claims.put("organisation_id", 42)), "organisation_id"))
            .isEmpty();
        assertThat(CallerTokens.organisationOf(jwt(claims -> claims.put("app_metadata", "organisation_id")),
                "organisation_id"))
            .isEmpty();
        assertThat(CallerTokens.organisationOf(
                jwt(claims -> claims.put("app_metadata", Map.of("org_id", ORGANISATION.toString()))),
                "organisation_id"))
            .isEmpty();
        assertThat(CallerTokens.organisationOf(jwt(claims -> {
        }), "organisation_id")).isEmpty();
    }

    // ---- roles
    // --------------------------------------------------------------------------------------------------

    @Test
    void rolesComeFromRoleAndRolesAtTheTopAndUnderAppMetadata() {
        Jwt jwt = jwt(claims -> {
            claims.put("role", "authenticated");
            claims.put("roles", List.of("ops", 7));
            claims.put("app_metadata", Map.of("role", "super_admin", "roles", List.of("auditor")));
        });

        assertThat(CallerTokens.rolesOf(jwt)).containsExactly("authenticated", "ops", "7", "super_admin", "auditor");
    }

    @Test
    void noRolesWhenTheTokenNamesNone() {
        assertThat(CallerTokens.rolesOf(jwt(claims -> claims.put("role", 3)))).isEmpty();
        assertThat(CallerTokens.rolesOf(jwt(claims -> claims.put("app_metadata", List.of("ops"))))).isEmpty();
    }

    @Test
    void theCallerIsTheOrganisationTheSubjectAndTheRoles() {
        Jwt jwt = jwt(claims -> {
            claims.put("organisation_id", ORGANISATION.toString());
            claims.put("roles", List.of("ops"));
        });

        Caller caller = CallerTokens.callerOf(jwt, "organisation_id");

        assertThat(caller).isEqualTo(new Caller(ORGANISATION, "user-1", Set.of("ops")));
        assertThat(caller.hasRole(Caller.OPS)).isTrue();
        assertThat(caller.hasRole(Caller.SUPER_ADMIN)).isFalse();
        assertThatThrownBy(() -> CallerTokens.callerOf(jwt(claims -> {
        }), "organisation_id")).isInstanceOf(IllegalStateException.class).hasMessage("token has no organisation");
    }

    // ---- claim checks
    // -------------------------------------------------------------------------------------------

    @Test
    void aTokenMustCarryAnExpiry() {
        assertThat(valid(List.of(), null, jwt(claims -> claims.remove("exp")))).isFalse();
        assertThat(valid(List.of(), null, jwt(claims -> {
        }))).isTrue();
    }

    @Test
    void anExpiredTokenIsRefusedAfterAMinuteOfClockSkew() {
        assertThat(valid(List.of(), null, jwt(claims -> expiredSecondsAgo(claims, 30)))).isTrue();
        assertThat(valid(List.of(), null, jwt(claims -> expiredSecondsAgo(claims, 120)))).isFalse();
    }

    @Test
    void theIssuerIsCheckedWheneverOneIsConfigured() {
        Jwt fromIssuer = jwt(claims -> claims.put("iss", "https://issuer.example.test/auth/v1"));
        Jwt fromElsewhere = jwt(claims -> claims.put("iss", "https://other.example.test"));

        assertThat(valid(List.of(), "https://issuer.example.test/auth/v1", fromIssuer)).isTrue();
        assertThat(valid(List.of(), "https://issuer.example.test/auth/v1", fromElsewhere)).isFalse();
        assertThat(valid(List.of(), "https://issuer.example.test/auth/v1", jwt(claims -> {
        }))).isFalse();
        assertThat(valid(List.of(), null, fromElsewhere)).isTrue();
        assertThat(valid(List.of(), " ", fromElsewhere)).isTrue();
    }

    @Test
    void oneOfTheConfiguredAudiencesMustBeNamed() {
        List<String> audiences = List.of("authenticated", "admin-app");

        assertThat(valid(audiences, null, jwt(claims -> claims.put("aud", List.of("other", "admin-app"))))).isTrue();
        assertThat(valid(audiences, null, jwt(claims -> claims.put("aud", List.of("other"))))).isFalse();
        assertThat(valid(audiences, null, jwt(claims -> {
        }))).isFalse();
        assertThat(valid(List.of(), null, jwt(claims -> claims.put("aud", List.of("other"))))).isTrue();
        assertThat(valid(List.of(" "), null, jwt(claims -> claims.put("aud", List.of("other"))))).isTrue();
    }

    // ---- the tokens the local profile prints
    // ---------------------------------------------------------------------

    @Test
    void aPrintedTokenIsHs256WithTheOrganisationTheAudienceAndAnExpiry() {
        String token = new HmacTokens(TestTokens.SECRET).issue("owner", ORGANISATION, Duration.ofHours(24),
                Map.of("roles", List.of("ops")));

        Jwt jwt = decoder().decode(token);

        assertThat(jwt.getHeaders()).containsEntry("alg", "HS256");
        assertThat(jwt.getSubject()).isEqualTo("owner");
        assertThat(jwt.getAudience()).containsExactly("authenticated");
        assertThat(jwt.getClaimAsString("organisation_id")).isEqualTo(ORGANISATION.toString());
        assertThat(jwt.getClaimAsStringList("roles")).containsExactly("ops");
        assertThat(Duration.between(jwt.getIssuedAt(), jwt.getExpiresAt())).isEqualTo(Duration.ofHours(24));
        assertThat(jwt.getIssuedAt()).isCloseTo(Instant.now(), within(Duration.ofMinutes(1)));
    }

    @Test
    void aTokenWithoutOrganisationNamesNone() {
        Jwt jwt = decoder()
            .decode(new HmacTokens(TestTokens.SECRET).issue("ops-user", null, Duration.ofMinutes(5), Map.of()));

        assertThat(jwt.hasClaim("organisation_id")).isFalse();
    }

    @Test
    void aTokenIssuedAlreadyExpiredWasIssuedAnHourBeforeItsExpiry() {
        String token = new HmacTokens(TestTokens.SECRET).issue("late", ORGANISATION, Duration.ofMinutes(-10), Map.of());
        NimbusJwtDecoder lenient = decoder();
        lenient.setJwtValidator(jwt -> OAuth2TokenValidatorResult.success());

        Jwt jwt = lenient.decode(token);

        assertThat(jwt.getExpiresAt()).isBefore(Instant.now());
        assertThat(Duration.between(jwt.getIssuedAt(), jwt.getExpiresAt())).isEqualTo(Duration.ofHours(1));
    }

    // ---- where the token is read from, and how long it is remembered
    // -------------------------------------------

    @Test
    void theQueryTokenIsReadOnlyForAJobsEventStream() {
        assertThat(resolveWithQueryToken("/api/registration/jobs/42/events")).isEqualTo("abc");
        assertThat(resolveWithQueryToken("/api/registration/jobs/" + ORGANISATION + "/events")).isEqualTo("abc");
        assertThat(resolveWithQueryToken("/api/registration/jobs//events")).isNull();
        assertThat(resolveWithQueryToken("/api/registration/jobs/events")).isNull();
        assertThat(resolveWithQueryToken("/api/registration/jobs/42/x/events")).isNull();
        assertThat(resolveWithQueryToken("/api/registration/jobs/42/events/x")).isNull();
        assertThat(resolveWithQueryToken("/api/registration/jobs/42/history")).isNull();
        assertThat(resolveWithQueryToken("/api/restaurants")).isNull();
    }

    @Test
    void tokensBelowTheCapacityAreAllRemembered() {
        java.util.concurrent.atomic.AtomicInteger verifications = new java.util.concurrent.atomic.AtomicInteger();
        NimbusJwtDecoder nimbus = decoder();
        VerifiedTokens tokens = new VerifiedTokens(token -> {
            verifications.incrementAndGet();
            return nimbus.decode(token);
        }, 10, java.time.Clock.systemUTC());
        String first = TestTokens.forOrganisation(ORGANISATION);
        String second = TestTokens.forOrganisation(OTHER);

        tokens.decode(first);
        tokens.decode(second);
        tokens.decode(first);
        tokens.decode(second);

        assertThat(verifications).hasValue(2);
    }

    private static String resolveWithQueryToken(String path) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setParameter("access_token", "abc");
        request.setQueryString("access_token=abc");
        return new BearerTokens().resolve(request);
    }

    // ---- helpers
    // ------------------------------------------------------------------------------------------------

    private static boolean valid(List<String> audiences, String issuer, Jwt jwt) {
        RegistrationSecurityProperties properties = new RegistrationSecurityProperties(
                new RegistrationSecurityProperties.Jwt(TestTokens.SECRET, 10, audiences), "organisation_id",
                Duration.ofHours(24), null, null);
        return !SecurityConfiguration.validator(properties, issuer).validate(jwt).hasErrors();
    }

    private static void expiredSecondsAgo(Map<String, Object> claims, long seconds) {
        claims.put("iat", Instant.now().minus(Duration.ofHours(1)));
        claims.put("exp", Instant.now().minusSeconds(seconds));
    }

    private static NimbusJwtDecoder decoder() {
        return NimbusJwtDecoder
            .withSecretKey(new SecretKeySpec(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
            .macAlgorithm(MacAlgorithm.HS256)
            .build();
    }

    private static Jwt jwt(Consumer<Map<String, Object>> claims) {
        Instant now = Instant.now();
        return Jwt.withTokenValue("token")
            .header("alg", "HS256")
            .subject("user-1")
            .issuedAt(now.minusSeconds(10))
            .expiresAt(now.plus(Duration.ofHours(1)))
            .claims(claims)
            .build();
    }

}
