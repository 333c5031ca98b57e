package io.yolomode.registration.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.jwk.source.ImmutableSecret;

import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Signs HS256 tokens with the shared secret, shaped like the ones the real identity
 * provider issues. Used for the local profile's ready-made token; the service itself
 * never issues tokens to callers.
 */
public final class HmacTokens {

    private final NimbusJwtEncoder encoder;

    public HmacTokens(String secret) {
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.encoder = new NimbusJwtEncoder(new ImmutableSecret<>(key));
    }

    public String issue(String subject, UUID organisationId, Duration validity, Map<String, Object> extraClaims) {
        Instant now = Instant.now();
        Instant expiresAt = now.plus(validity);
        Instant issuedAt = expiresAt.isAfter(now) ? now : expiresAt.minus(Duration.ofHours(1));
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
            .subject(subject)
            .issuedAt(issuedAt)
            .expiresAt(expiresAt)
            .claim("aud", "authenticated");
        if (organisationId != null) {
            claims.claim("organisation_id", organisationId.toString());
        }
        extraClaims.forEach(claims::claim);
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
        return encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
    }

}
