package io.yolomode.registration.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.ServiceInstance;
import io.yolomode.registration.testsupport.SseClient;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestDatabase;
import io.yolomode.registration.testsupport.TestDownstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Tokens from an issuer's JWKS (here served by WireMock, signed with a key made for the
 * test), through real HTTP on an instance that remembers no verified token
 * ({@code verified-tokens: 0}) and closes event streams after
 * {@code registration.events.timeout}: only the JWKS's RS256 keys sign, the issuer is
 * checked whenever one is configured (by the HS256 decoder too), roles come from
 * {@code app_metadata}, and a stream ends at its timeout while its token is still valid.
 */
class IssuerCheckTest {

    private static final String ISSUER = "https://identity.test/auth/v1";

    private static final String JWKS_PATH = "/issuer-check/" + UUID.randomUUID() + "/jwks.json";

    private static RSAKey signingKey;

    private static ServiceInstance instance;

    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(3);

    private static UUID organisation;

    private static UUID restaurant;

    @BeforeAll
    static void startAnInstanceCheckingTokensWithAJwksUriAndAnIssuer() throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("issuer-check").generate();
        TestDownstream.stub(get(urlPathEqualTo(JWKS_PATH))
            .willReturn(TestDownstream.okJson(new JWKSet(signingKey.toPublicJWK()).toString())));
        TestDatabase.Coordinates database = TestDatabase.coordinates();
        instance = ServiceInstance.start(database,
                Map.of("registration.security.jwt.secret", "", "spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                        TestDownstream.baseUrl() + JWKS_PATH, "spring.security.oauth2.resourceserver.jwt.issuer-uri",
                        ISSUER, "registration.security.jwt.verified-tokens", "0", "registration.events.timeout",
                        STREAM_TIMEOUT.toSeconds() + "s", "registration.runner.enabled", "false"));
        DriverManagerDataSource dataSource = new DriverManagerDataSource(database.url(), database.username(),
                database.password());
        TestData data = new TestData(JdbcClient.create(dataSource));
        organisation = data.organisation();
        restaurant = data.restaurant(organisation, "Issuer Inn");
        // The first request fetches the JWKS; on a loaded machine that fetch can time out
        // (a 500), so the tests
        // start once the keys are in.
        String token = rs256(ISSUER);
        await().atMost(Duration.ofSeconds(60))
            .until(() -> instance.api().get("/api/restaurants", token).status() == 200);
    }

    @AfterAll
    static void stop() {
        if (instance != null) {
            instance.close();
        }
    }

    @Test
    void withAJwksUriOnlyTheConfiguredIssuerGetsIn() throws Exception {
        ApiClient api = instance.api();
        assertThat(api.get("/api/restaurants", rs256(ISSUER)).status()).isEqualTo(200);
        assertThat(api.get("/api/restaurants", rs256("https://evil.test/auth/v1")).status()).isEqualTo(401);
        assertThat(api.get("/api/restaurants", rs256(null)).status()).isEqualTo(401);
        assertThat(api.get("/api/restaurants", rs256("https://evil.test/auth/v1")).status())
            .as("asked again: a refusal is not remembered as an acceptance")
            .isEqualTo(401);
    }

    @Test
    void whileTheIssuersKeysCannotBeFetchedATokenIs503WithRetryAfterAndWorksOnceTheyCanAgain() throws Exception {
        ApiClient api = instance.api();
        // A key id the cached key set lacks makes the decoder fetch the key set again, as
        // after a key rotation.
        RSAKey rotated = new RSAKeyGenerator(2048).keyID("rotated-" + UUID.randomUUID()).generate();
        StubMapping issuerDown = TestDownstream.server()
            .stubFor(get(urlPathEqualTo(JWKS_PATH)).atPriority(1)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        try {
            ApiClient.Response response = api.get("/api/restaurants", signedBy(rotated, claims(ISSUER)));
            assertThat(response.status()).as(response.body()).isEqualTo(503);
            assertThat(response.header("Retry-After")).isEqualTo("5");
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.json().get("detail").asString()).contains("keys cannot be fetched");
        }
        finally {
            TestDownstream.server().removeStub(issuerDown);
        }
        assertThat(api.get("/api/restaurants", rs256(ISSUER)).status()).as("the cached keys still sign").isEqualTo(200);
        assertThat(api.get("/api/restaurants", signedBy(rotated, claims(ISSUER))).status())
            .as("a key the issuer never published, once its key set answers")
            .isEqualTo(401);
    }

    @Test
    void onlyTheJwksKeysSignAndEveryRequestIsVerified() throws Exception {
        ApiClient api = instance.api();
        String token = rs256(ISSUER);
        RSAKey stranger = new RSAKeyGenerator(2048).keyID(signingKey.getKeyID()).generate();

        assertThat(instance.bean(JwtDecoder.class)).as("verified-tokens: 0 remembers nothing")
            .isNotInstanceOf(VerifiedTokens.class);
        for (int i = 0; i < 3; i++) {
            assertThat(api.get("/api/restaurants", token).status()).isEqualTo(200);
        }
        assertThat(api.get("/api/restaurants", token).json().get(0).get("id").asString())
            .isEqualTo(restaurant.toString());
        assertThat(api.get("/api/restaurants", signedBy(stranger, claims(ISSUER))).status())
            .as("same key id, another key")
            .isEqualTo(401);
        assertThat(api
            .get("/api/restaurants", io.yolomode.registration.testsupport.TestTokens.forOrganisation(organisation))
            .status()).as("HS256 with the test secret").isEqualTo(401);
        assertThat(api.get("/api/restaurants", token.substring(0, token.lastIndexOf('.') + 1)).status())
            .as("signature removed")
            .isEqualTo(401);
    }

    @Test
    void rolesUnderAppMetadataOfAJwksTokenOpenTheMetricsAndTheHealthDetails() throws Exception {
        ApiClient api = instance.api();
        JWTClaimsSet ops = new JWTClaimsSet.Builder(claims(ISSUER))
            .claim("app_metadata", Map.of("roles", List.of("ops")))
            .build();
        JWTClaimsSet viewer = new JWTClaimsSet.Builder(claims(ISSUER))
            .claim("app_metadata", Map.of("roles", List.of("viewer")))
            .build();

        assertThat(api.get("/actuator/prometheus", signedBy(signingKey, ops)).status()).isEqualTo(200);
        assertThat(api.get("/actuator/prometheus", signedBy(signingKey, viewer)).status()).isEqualTo(403);
        // An instance that runs no jobs is ready while its periodic backlog read works.
        String opsToken = signedBy(signingKey, ops);
        ApiClient.Response readiness = await().atMost(Duration.ofSeconds(30))
            .until(() -> api.get("/actuator/health/readiness", opsToken), response -> response.status() == 200);
        assertThat(readiness.json().get("components").get("runner").get("details").get("enabled").asBoolean())
            .isFalse();
    }

    @Test
    void anEventStreamEndsAtItsTimeoutWhileItsTokenIsStillValid() throws Exception {
        ApiClient api = instance.api();
        String token = rs256(ISSUER);
        ApiClient.Response accepted = api.postJson("/api/registration/execute-single-restaurant", token,
                Map.of("restaurantId", restaurant.toString(), "formData", Map.of(), "scheduledAt",
                        Instant.now().plusSeconds(3600).toString()));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        UUID jobId = UUID.fromString(accepted.json().get("jobId").asString());
        try (SseClient stream = SseClient.connect(instance.port(), "/api/registration/jobs/" + jobId + "/events", token,
                null)) {
            await().atMost(Duration.ofSeconds(30)).until(stream::ended);

            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.readError()).isNull();
            assertThat(stream.events()).as("the snapshot only: nothing happened to the job").hasSize(1);
            assertThat(stream.comments()).as("open long enough for heartbeats").isNotEmpty();
        }
        finally {
            api.postJson("/api/registration/jobs/" + jobId + "/cancel", token, Map.of());
        }
        assertThat(api.get("/api/registration/jobs/" + jobId, token).json().get("status").asString())
            .isEqualTo("cancelled");
    }

    @Test
    void withTheHs256SecretAnIssuerIsCheckedToo() throws Exception {
        OAuth2ResourceServerProperties resourceServer = new OAuth2ResourceServerProperties();
        resourceServer.getJwt().setIssuerUri(ISSUER);
        RegistrationSecurityProperties properties = new RegistrationSecurityProperties(
                new RegistrationSecurityProperties.Jwt(io.yolomode.registration.testsupport.TestTokens.SECRET, 0,
                        List.of("authenticated")),
                "organisation_id", null, null, null);
        JwtDecoder decoder = SecurityConfiguration.verifier(properties, resourceServer);

        assertThat(decoder.decode(TokenRulesTest.hs256(claims(ISSUER))).getIssuer().toString()).isEqualTo(ISSUER);
        assertThatThrownBy(() -> decoder.decode(TokenRulesTest.hs256(claims("https://evil.test/auth/v1"))))
            .isInstanceOf(BadJwtException.class)
            .hasMessageContaining("iss");
        assertThatThrownBy(() -> decoder.decode(TokenRulesTest.hs256(claims(null))))
            .isInstanceOf(BadJwtException.class);
    }

    private static String rs256(String issuer) throws Exception {
        return signedBy(signingKey, claims(issuer));
    }

    private static String signedBy(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static JWTClaimsSet claims(String issuer) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer)
            .subject("user")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(3600)))
            .audience("authenticated")
            .claim("organisation_id", organisation == null ? UUID.randomUUID().toString() : organisation.toString())
            .build();
    }

}
