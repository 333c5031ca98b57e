package io.yolomode.registration.system;

import java.time.Duration;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A failure that the API reports to its caller as it is: a status, a human message and optional extra fields for
 * the problem document. Anything else that escapes a controller is a 500 without details.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;

    private final transient Map<String, Object> properties;

    private final Duration retryAfter;

    public ApiException(HttpStatus status, String message, Map<String, Object> properties) {
        this(status, message, properties, null);
    }

    private ApiException(HttpStatus status, String message, Map<String, Object> properties, Duration retryAfter) {
        super(message);
        this.status = status;
        this.properties = Map.copyOf(properties);
        this.retryAfter = retryAfter;
    }

    /** 429: the caller is over a limit and may try again after {@code retryAfter} (sent as Retry-After). */
    public static ApiException tooManyRequests(String message, Duration retryAfter) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, message, Map.of(), retryAfter);
    }

    public static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, message, Map.of());
    }

    public static ApiException conflict(String message) {
        return new ApiException(HttpStatus.CONFLICT, message, Map.of());
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, message, Map.of());
    }

    public static ApiException forbidden(String message) {
        return new ApiException(HttpStatus.FORBIDDEN, message, Map.of());
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    /** How long the caller should wait before trying again, when the answer says so; else null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
