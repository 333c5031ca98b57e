package io.yolomode.registration.security;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How bearer tokens are checked and read, and the keys that seal the passwords kept for
 * running jobs.
 *
 * @param jwt how tokens are verified (HS256 secret or an issuer's JWKS, audiences)
 * @param organisationClaim the claim that names the caller's organisation; {@code org_id}
 * and {@code app_metadata.organisation_id} are read too
 * @param devTokenValidity how long the tokens that the local profile prints stay valid
 * @param dataKey the key that seals passwords at rest,
 * {@code <keyId>:<base64 of 32 bytes>}; required (the local profile with its embedded
 * database makes one in its data folder)
 * @param oldDataKeys earlier data keys, same shape, still used to open what they sealed
 */
@ConfigurationProperties("registration.security")
public record RegistrationSecurityProperties(Jwt jwt, @DefaultValue("organisation_id") String organisationClaim,
        @DefaultValue("24h") Duration devTokenValidity, @Nullable String dataKey, List<String> oldDataKeys) {

    public RegistrationSecurityProperties {
        jwt = jwt == null ? new Jwt(null, VerifiedTokens.DEFAULT_CAPACITY, List.of()) : jwt;
        oldDataKeys = oldDataKeys == null ? List.of() : List.copyOf(oldDataKeys);
    }

    @Override
    public String toString() {
        return "RegistrationSecurityProperties[jwt=" + jwt + ", organisationClaim=" + organisationClaim + ", dataKey="
                + (dataKey == null ? "unset" : "***") + ", oldDataKeys=" + oldDataKeys.size() + "]";
    }

    /**
     * @param secret the HS256 secret, at least 32 bytes
     * @param verifiedTokens how many verified tokens are remembered until they expire, so
     * that a dialog polling every few seconds is not verified again each time; 0 verifies
     * every request
     * @param audiences when not empty, a token's {@code aud} must name one of these
     * (Supabase: {@code authenticated})
     */
    public record Jwt(@Nullable String secret, @DefaultValue("" + VerifiedTokens.DEFAULT_CAPACITY) int verifiedTokens,
            List<String> audiences) {

        public Jwt {
            audiences = audiences == null ? List.of()
                    : audiences.stream().filter(audience -> !audience.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "Jwt[secret=" + (secret == null ? "unset" : "***") + ", audiences=" + audiences + "]";
        }
    }
}
