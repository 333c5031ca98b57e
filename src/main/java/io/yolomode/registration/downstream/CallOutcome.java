package io.yolomode.registration.downstream;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What one call to the registration API came to, classified by the rules of DESIGN.md
 * section 3.
 */
public sealed interface CallOutcome {

    /** A 2xx answer that is not {@code success: false}; the body is kept, bounded. */
    record Succeeded(Map<String, Object> body) implements CallOutcome {
    }

    /** Not worth calling again: a 4xx other than 408/429, or {@code success: false}. */
    record Failed(String error) implements CallOutcome {
    }

    /**
     * Worth calling again: a connection error, timeout, 408, 429, 5xx or
     * {@code retryable: true}; {@code retryAfter} is the server's wish when it said one.
     */
    record Retryable(String error, @Nullable Duration retryAfter) implements CallOutcome {
    }

}
