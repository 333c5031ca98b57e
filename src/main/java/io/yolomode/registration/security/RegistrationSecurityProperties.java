package io.yolomode.registration.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How bearer tokens are checked and read.
 *
 * @param jwt                 the HS256 shared secret (Supabase-style); leave it empty to use an issuer's JWKS via
 *                            {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri}
 * @param organisationClaim   the claim that names the caller's organisation; {@code org_id} and
 *                            {@code app_metadata.organisation_id} are read too
 * @param devTokenValidity    how long the tokens that the local profile prints stay valid
 */
@ConfigurationProperties("registration.security")
public record RegistrationSecurityProperties(
        Jwt jwt,
        @DefaultValue("organisation_id") String organisationClaim,
        @DefaultValue("24h") Duration devTokenValidity) {

    public RegistrationSecurityProperties {
        jwt = jwt == null ? new Jwt(null, VerifiedTokens.DEFAULT_CAPACITY) : jwt;
    }

    /**
     * @param secret         the HS256 secret, at least 32 bytes
     * @param verifiedTokens how many verified tokens are remembered until they expire, so that a dialog polling
     *                       every few seconds is not verified again each time; 0 verifies every request
     */
    public record Jwt(String secret, @DefaultValue("" + VerifiedTokens.DEFAULT_CAPACITY) int verifiedTokens) {

        @Override
        public String toString() {
            return "Jwt[secret=" + (secret == null ? "unset" : "***") + "]";
        }
    }
}
