package io.yolomode.registration.system;

import java.time.Duration;
import java.util.Map;

/**
 * Why the service will not do what a caller asked, in the service's own terms: the thing
 * asked about does not exist (for this caller), the request is invalid, the caller may
 * not do it, the job or batch is in a state that forbids it, or the caller is over a
 * limit. Services and controllers throw it; only the API's exception handler knows which
 * HTTP status each kind becomes. Anything else that escapes a controller is a 500 without
 * details.
 */
public class Refusal extends RuntimeException {

    /**
     * The kinds of refusal; each has one HTTP status, chosen by the exception handler.
     */
    public enum Kind {

        /** Nothing of that id, or nothing the caller may see. */
        NOT_FOUND,

        /** The request itself is wrong: a field, a parameter, a limit of the body. */
        INVALID,

        /** The caller is known but may not do this. */
        NOT_PERMITTED,

        /** The job or batch is in a state that does not allow it (now, or any more). */
        CONFLICT,

        /** The caller is over a limit and may try again later. */
        OVER_LIMIT

    }

    private final Kind kind;

    private final transient Map<String, Object> properties;

    private final Duration retryAfter;

    private Refusal(Kind kind, String message, Map<String, Object> properties, Duration retryAfter) {
        super(message);
        this.kind = kind;
        this.properties = Map.copyOf(properties);
        this.retryAfter = retryAfter;
    }

    public static Refusal notFound(String message) {
        return new Refusal(Kind.NOT_FOUND, message, Map.of(), null);
    }

    public static Refusal invalid(String message) {
        return invalid(message, Map.of());
    }

    /**
     * An invalid request, with fields that name what was wrong for the problem document.
     */
    public static Refusal invalid(String message, Map<String, Object> properties) {
        return new Refusal(Kind.INVALID, message, properties, null);
    }

    public static Refusal notPermitted(String message) {
        return new Refusal(Kind.NOT_PERMITTED, message, Map.of(), null);
    }

    public static Refusal conflict(String message) {
        return conflict(message, Map.of());
    }

    /**
     * A state that forbids the request, with fields that say which state for the problem
     * document.
     */
    public static Refusal conflict(String message, Map<String, Object> properties) {
        return new Refusal(Kind.CONFLICT, message, properties, null);
    }

    /** Over a limit; the caller may try again after {@code retryAfter}. */
    public static Refusal overLimit(String message, Duration retryAfter) {
        return new Refusal(Kind.OVER_LIMIT, message, Map.of(), retryAfter);
    }

    public Kind kind() {
        return kind;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    /**
     * How long the caller should wait before trying again, when the refusal says so; else
     * null.
     */
    public Duration retryAfter() {
        return retryAfter;
    }

}
