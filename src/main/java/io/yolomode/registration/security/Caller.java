package io.yolomode.registration.security;

import java.util.Set;
import java.util.UUID;

/**
 * Who is calling: the organisation every read and write is scoped to, the token's subject
 * and its roles.
 */
public record Caller(UUID organisationId, String subject, Set<String> roles) {

    public static final String SUPER_ADMIN = "super_admin";

    public static final String OPS = "ops";

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
