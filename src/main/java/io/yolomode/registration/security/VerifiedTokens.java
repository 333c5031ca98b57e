package io.yolomode.registration.security;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers tokens that passed verification until they expire: the dialog polls with the
 * same token every few seconds, and checking its signature and claims again each time was
 * a large part of a poll's cost. Only tokens with an expiry are remembered, keyed by
 * their exact text, and a remembered token is answered only while it has not expired; at
 * capacity the memory starts over. A token whose signing key is withdrawn stays accepted
 * here until it expires.
 */
final class VerifiedTokens implements JwtDecoder {

    static final int DEFAULT_CAPACITY = 10_000;

    private final JwtDecoder verifier;

    private final int capacity;

    private final Clock clock;

    private final ConcurrentMap<String, Jwt> verified = new ConcurrentHashMap<>();

    VerifiedTokens(JwtDecoder verifier, int capacity, Clock clock) {
        this.verifier = verifier;
        this.capacity = capacity;
        this.clock = clock;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Instant now = clock.instant();
        Jwt known = verified.get(token);
        if (known != null && now.isBefore(known.getExpiresAt())) {
            return known;
        }
        Jwt jwt = verifier.decode(token);
        if (jwt.getExpiresAt() != null && now.isBefore(jwt.getExpiresAt())) {
            if (verified.size() >= capacity) {
                verified.clear();
            }
            verified.put(token, jwt);
        }
        return jwt;
    }

}
