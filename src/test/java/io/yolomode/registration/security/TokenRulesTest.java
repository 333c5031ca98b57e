package io.yolomode.registration.security;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a token must be to get in, through the real filter chain of the test profile
 * (HS256 secret, audience {@code authenticated}): it carries {@code exp}, names a
 * configured audience and is signed with the secret by HS256; {@code alg: none} and RS256
 * tokens are refused. Each refusal is asked twice, since verified tokens are remembered
 * and a remembered refusal must not turn into an acceptance.
 */
class TokenRulesTest extends CallerTestSupport {

    @Test
    void aWellFormedTokenGetsIn() throws Exception {
        assertStatus(hs256(claims().build()), 200);
        assertStatus(hs256(claims().audience(List.of("other-app", "authenticated")).build()), 200);
    }

    @Test
    void aTokenWithoutExpiryIsUnauthorized() throws Exception {
        assertStatus(hs256(claims().expirationTime(null).build()), 401);
    }

    @Test
    void aTokenForAnotherAudienceOrNoneIsUnauthorized() throws Exception {
        assertStatus(hs256(claims().audience("another-service").build()), 401);
        assertStatus(hs256(claims().audience((String) null).build()), 401);
    }

    @Test
    void anUnsignedTokenWithAlgNoneIsUnauthorized() {
        String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = base64Url(claims().build().toString());
        assertStatus(header + "." + payload + ".", 401);
    }

    @Test
    void anRs256TokenIsUnauthorizedAgainstTheHs256Secret() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims().build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
        assertStatus(jwt.serialize(), 401);
    }

    @Test
    void theTokensOfTheTestSupportCarryTheAudience() {
        assertStatus(TestTokens.forOrganisation(organisation), 200);
    }

    private void assertStatus(String token, int status) {
        for (int ask = 1; ask <= 2; ask++) {
            ApiClient.Response response = api.get("/api/restaurants", token);
            assertThat(response.status()).as("ask " + ask + ": " + response).isEqualTo(status);
            if (status == 401) {
                assertThat(response.header("Content-Type")).startsWith("application/problem+json");
                assertThat(response.json().get("success").asBoolean()).isFalse();
            }
        }
    }

    private JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject("user")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(3600)))
            .audience("authenticated")
            .claim("organisation_id", organisation.toString());
    }

    static String hs256(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

}
