package io.yolomode.registration.security;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.spec.SecretKeySpec;

import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Remembered tokens save the signature check while they are valid, and never outlive
 * their expiry.
 */
class VerifiedTokensTest {

    private final UUID organisation = UUID.randomUUID();

    private Instant now = Instant.now();

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private final AtomicInteger verifications = new AtomicInteger();

    private final JwtDecoder verifier = verifier();

    @Test
    void aValidTokenIsVerifiedOnceAndAnsweredFromMemoryAfterwards() {
        VerifiedTokens tokens = new VerifiedTokens(verifier, 10, clock);
        String token = TestTokens.forOrganisation(organisation);

        Jwt first = tokens.decode(token);
        Jwt second = tokens.decode(token);

        assertThat(second).isSameAs(first);
        assertThat(second.getClaimAsString("organisation_id")).isEqualTo(organisation.toString());
        assertThat(verifications).hasValue(1);
    }

    @Test
    void aRememberedTokenIsVerifiedAgainOnceItHasExpiredAndThenRefused() {
        VerifiedTokens tokens = new VerifiedTokens(verifier, 10, clock);
        String token = TestTokens.withClaims(organisation, Duration.ofMinutes(5), Map.of());
        tokens.decode(token);

        now = now.plus(Duration.ofMinutes(6));

        assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtException.class).hasMessageContaining("expired");
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aForgedTokenIsNeverRemembered() {
        VerifiedTokens tokens = new VerifiedTokens(verifier, 10, clock);
        String forged = TestTokens.signedWithAnotherSecret(organisation);

        assertThatThrownBy(() -> tokens.decode(forged)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> tokens.decode(forged)).isInstanceOf(JwtException.class);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void atCapacityTheMemoryStartsOver() {
        VerifiedTokens tokens = new VerifiedTokens(verifier, 2, clock);
        String first = TestTokens.forOrganisation(organisation);
        tokens.decode(first);
        tokens.decode(TestTokens.forOrganisation(UUID.randomUUID()));
        tokens.decode(TestTokens.forOrganisation(UUID.randomUUID()));

        tokens.decode(first);

        assertThat(verifications).hasValue(4);
    }

    private JwtDecoder verifier() {
        NimbusJwtDecoder nimbus = NimbusJwtDecoder
            .withSecretKey(new SecretKeySpec(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
            .macAlgorithm(MacAlgorithm.HS256)
            .build();
        JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
        timestamps.setClock(clock);
        nimbus.setJwtValidator(timestamps);
        return token -> {
            verifications.incrementAndGet();
            return nimbus.decode(token);
        };
    }

}
