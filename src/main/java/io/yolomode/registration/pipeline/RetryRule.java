package io.yolomode.registration.pipeline;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.yolomode.registration.downstream.CallOutcome;
import io.yolomode.registration.downstream.DownstreamProperties;

/**
 * A sub-step's failure rule, the one place that decides what follows a call: a retryable
 * outcome is called again until {@code maxAttempts} calls were made, after exponential
 * backoff with full jitter (a random wait between 0 and
 * {@code backoffBase * backoffFactor^(attempt-1)}, capped at {@code backoffMax}); a
 * server's Retry-After wins, up to {@code retryAfterMax}. A success or a failure ends the
 * sub-step at once. What is retryable is the HTTP client's classification
 * ({@link CallOutcome}).
 *
 * @param maxAttempts calls per sub-step before it fails, the first included
 * @param backoffBase first retry delay before jitter
 * @param backoffFactor growth of the delay per retry
 * @param backoffMax cap of the computed delay
 * @param retryAfterMax longest Retry-After that is honoured as asked; longer ones are cut
 * to it
 */
public record RetryRule(int maxAttempts, Duration backoffBase, double backoffFactor, Duration backoffMax,
        Duration retryAfterMax) {

    /**
     * The rule of {@code registration.downstream}, every row's unless it declares its
     * own.
     */
    public static RetryRule of(DownstreamProperties downstream) {
        return new RetryRule(downstream.maxAttempts(), downstream.backoffBase(), downstream.backoffFactor(),
                downstream.backoffMax(), downstream.retryAfterMax());
    }

    /**
     * The wait before calling again after the given attempt (1 for the first call) ended
     * with the outcome; empty when the outcome ends the sub-step: a success, a failure,
     * or a retryable outcome of the last attempt.
     */
    public Optional<Duration> retryAfter(CallOutcome outcome, int attempt) {
        if (!(outcome instanceof CallOutcome.Retryable retryable) || attempt >= maxAttempts) {
            return Optional.empty();
        }
        return Optional.of(delayAfter(attempt, retryable.retryAfter()));
    }

    /**
     * The wait after the given failed attempt (1 for the first call), the server's
     * Retry-After when it said one.
     */
    public Duration delayAfter(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(retryAfterMax) > 0 ? retryAfterMax : retryAfter;
        }
        long capMillis = backoffMax.toMillis();
        double ceiling = backoffBase.toMillis() * Math.pow(backoffFactor, attempt - 1);
        long bound = (long) Math.min(ceiling, capMillis);
        return Duration.ofMillis(bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1));
    }
}
