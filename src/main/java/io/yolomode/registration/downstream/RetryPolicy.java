package io.yolomode.registration.downstream;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.stereotype.Component;

/**
 * Exponential backoff with full jitter between calls of one sub-step; a server's Retry-After wins, up to
 * {@code retry-after-max}.
 */
@Component
public class RetryPolicy {

    private final DownstreamProperties properties;

    RetryPolicy(DownstreamProperties properties) {
        this.properties = properties;
    }

    public int maxAttempts() {
        return properties.maxAttempts();
    }

    /**
     * The wait after the given failed attempt (1 for the first call).
     */
    public Duration delayAfter(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(properties.retryAfterMax()) > 0 ? properties.retryAfterMax() : retryAfter;
        }
        long capMillis = properties.backoffMax().toMillis();
        double ceiling = properties.backoffBase().toMillis() * Math.pow(properties.backoffFactor(), attempt - 1);
        long bound = (long) Math.min(ceiling, capMillis);
        return Duration.ofMillis(bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1));
    }
}
