package io.yolomode.registration.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Reads a {@link Caller} from a verified token: the organisation from the configured
 * claim (then {@code org_id}, then {@code app_metadata.organisation_id}); roles from
 * {@code role}, {@code roles} and the same under {@code app_metadata}.
 */
final class CallerTokens {

    private CallerTokens() {
    }

    static Optional<UUID> organisationOf(Jwt jwt, String organisationClaim) {
        return firstText(jwt.getClaims(), organisationClaim, "org_id")
            .or(() -> appMetadata(jwt).flatMap(metadata -> firstText(metadata, "organisation_id")))
            .flatMap(CallerTokens::uuid);
    }

    static Set<String> rolesOf(Jwt jwt) {
        Set<String> roles = new LinkedHashSet<>();
        addRoles(roles, jwt.getClaims());
        appMetadata(jwt).ifPresent(metadata -> addRoles(roles, metadata));
        return roles;
    }

    static Caller callerOf(Jwt jwt, String organisationClaim) {
        UUID organisation = organisationOf(jwt, organisationClaim)
            .orElseThrow(() -> new IllegalStateException("token has no organisation"));
        return new Caller(organisation, jwt.getSubject(), rolesOf(jwt));
    }

    private static void addRoles(Set<String> roles, Map<String, Object> claims) {
        for (String name : List.of("role", "roles")) {
            Object value = claims.get(name);
            if (value instanceof String text) {
                roles.add(text);
            }
            else if (value instanceof Collection<?> values) {
                values.forEach(role -> roles.add(String.valueOf(role)));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> appMetadata(Jwt jwt) {
        return jwt.getClaims().get("app_metadata") instanceof Map<?, ?> metadata
                ? Optional.of((Map<String, Object>) metadata) : Optional.empty();
    }

    private static Optional<String> firstText(Map<String, Object> claims, String... names) {
        for (String name : names) {
            if (claims.get(name) instanceof String text && !text.isBlank()) {
                return Optional.of(text);
            }
        }
        return Optional.empty();
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        }
        catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }

}
