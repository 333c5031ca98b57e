package io.yolomode.registration.security;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The issuer is checked whenever one is configured: by an instance whose keys come from a JWKS URI (here served by
 * WireMock) with an issuer set beside it, through real HTTP, and by the HS256 decoder with an issuer set.
 */
class IssuerCheckTest {

    private static final String ISSUER = "https://identity.test/auth/v1";

    private static final String JWKS_PATH = "/issuer-check/" + UUID.randomUUID() + "/jwks.json";

    private static RSAKey signingKey;

    private static ServiceInstance instance;

    private static UUID organisation;

    @BeforeAll
    static void startAnInstanceCheckingTokensWithAJwksUriAndAnIssuer() throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("issuer-check").generate();
        TestDownstream.stub(get(urlPathEqualTo(JWKS_PATH)).willReturn(TestDownstream.okJson(
                new JWKSet(signingKey.toPublicJWK()).toString())));
        TestDatabase.Coordinates database = TestDatabase.coordinates();
        instance = ServiceInstance.start(database, Map.of(
                "registration.security.jwt.secret", "",
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri", TestDownstream.baseUrl() + JWKS_PATH,
                "spring.security.oauth2.resourceserver.jwt.issuer-uri", ISSUER,
                "registration.runner.enabled", "false"));
        DriverManagerDataSource dataSource = new DriverManagerDataSource(database.url(), database.username(),
                database.password());
        organisation = new TestData(JdbcClient.create(dataSource)).organisation();
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
                .as("asked again: a refusal is not remembered as an acceptance").isEqualTo(401);
    }

    @Test
    void withTheHs256SecretAnIssuerIsCheckedToo() throws Exception {
        OAuth2ResourceServerProperties resourceServer = new OAuth2ResourceServerProperties();
        resourceServer.getJwt().setIssuerUri(ISSUER);
        RegistrationSecurityProperties properties = new RegistrationSecurityProperties(
                new RegistrationSecurityProperties.Jwt(io.yolomode.registration.testsupport.TestTokens.SECRET, 0,
                        List.of("authenticated")), "organisation_id", null, null, null);
        JwtDecoder decoder = SecurityConfiguration.verifier(properties, resourceServer);

        assertThat(decoder.decode(TokenRulesTest.hs256(claims(ISSUER))).getIssuer().toString()).isEqualTo(ISSUER);
        assertThatThrownBy(() -> decoder.decode(TokenRulesTest.hs256(claims("https://evil.test/auth/v1"))))
                .isInstanceOf(BadJwtException.class).hasMessageContaining("iss");
        assertThatThrownBy(() -> decoder.decode(TokenRulesTest.hs256(claims(null))))
                .isInstanceOf(BadJwtException.class);
    }

    private static String rs256(String issuer) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
                claims(issuer));
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
    }

    private static JWTClaimsSet claims(String issuer) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("user")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .audience("authenticated")
                .claim("organisation_id", organisation == null ? UUID.randomUUID().toString()
                        : organisation.toString())
                .build();
    }
}
