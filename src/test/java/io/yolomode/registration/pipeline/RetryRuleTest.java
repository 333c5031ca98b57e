package io.yolomode.registration.pipeline;

import java.time.Duration;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.stream.IntStream;

import io.yolomode.registration.downstream.CallOutcome;
import io.yolomode.registration.testsupport.StandardPipeline;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wait between two calls of a sub-step (docs/design.md, "Outcome of a call" and
 * "Pipeline"): a server's Retry-After is honoured as asked up to {@code retry-after-max};
 * otherwise exponential backoff with full jitter, a random wait between 0 and
 * {@code base * factor^(attempt-1)}, capped at {@code backoff-max}. The jitter is checked
 * on many draws: all within the bound, and spread over all of it.
 */
class RetryRuleTest {

    private static final int DRAWS = 2_000;

    private final RetryRule defaults = policy(Duration.ofSeconds(2), 2, Duration.ofSeconds(60), 3);

    @Test
    void theNumberOfCallsIsTheConfiguredMaximum() {
        assertThat(defaults.maxAttempts()).isEqualTo(3);
        assertThat(policy(Duration.ofSeconds(2), 2, Duration.ofSeconds(60), 5).maxAttempts()).isEqualTo(5);
    }

    @Test
    void aRetryAfterUpToTheMaximumIsWaitedAsAsked() {
        assertThat(defaults.delayAfter(1, Duration.ofSeconds(45))).isEqualTo(Duration.ofSeconds(45));
        assertThat(defaults.delayAfter(3, Duration.ofMinutes(10))).isEqualTo(Duration.ofMinutes(10));
        assertThat(defaults.delayAfter(2, Duration.ZERO)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aRetryAfterOverTheMaximumIsCutToIt() {
        assertThat(defaults.delayAfter(1, Duration.ofMinutes(10).plusMillis(1))).isEqualTo(Duration.ofMinutes(10));
        assertThat(defaults.delayAfter(1, Duration.ofDays(2))).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aRetryAfterIsNotCutByTheBackoffCap() {
        assertThat(defaults.delayAfter(1, Duration.ofSeconds(90))).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void theBackoffDoublesFromTheBaseWithFullJitter() {
        assertSpreadOver(defaults, 1, 2_000);
        assertSpreadOver(defaults, 2, 4_000);
        assertSpreadOver(defaults, 3, 8_000);
        assertSpreadOver(defaults, 5, 32_000);
    }

    @Test
    void theBackoffIsCappedAtTheMaximum() {
        assertSpreadOver(defaults, 6, 60_000);
        assertSpreadOver(defaults, 30, 60_000);
    }

    @Test
    void aFractionalFactorGrowsTheBackoffByThatFactor() {
        RetryRule gentle = policy(Duration.ofMillis(1_000), 1.5, Duration.ofSeconds(60), 3);

        assertSpreadOver(gentle, 1, 1_000);
        assertSpreadOver(gentle, 3, 2_250);
    }

    @Test
    void theLargestWaitOfTheBoundIsPossible() {
        RetryRule tiny = policy(Duration.ofMillis(1), 1, Duration.ofSeconds(60), 3);

        LongSummaryStatistics waits = draws(tiny, 4);

        assertThat(waits.getMin()).isZero();
        assertThat(waits.getMax()).isEqualTo(1);
    }

    @Test
    void aZeroBaseRetriesAtOnce() {
        RetryRule immediate = policy(Duration.ZERO, 2, Duration.ofSeconds(60), 3);

        assertThat(draws(immediate, 3).getMax()).isZero();
    }

    @Test
    void aRetryableOutcomeIsCalledAgainUntilTheLastAttempt() {
        CallOutcome busy = new CallOutcome.Retryable("HTTP 503: busy", null);

        assertThat(defaults.retryAfter(busy, 1))
            .hasValueSatisfying(wait -> assertThat(wait).isBetween(Duration.ZERO, Duration.ofSeconds(2)));
        assertThat(defaults.retryAfter(busy, 2)).isPresent();
        assertThat(defaults.retryAfter(busy, 3)).isEmpty();
        assertThat(policy(Duration.ofSeconds(2), 2, Duration.ofSeconds(60), 5).retryAfter(busy, 4)).isPresent();
        assertThat(policy(Duration.ofSeconds(2), 2, Duration.ofSeconds(60), 1).retryAfter(busy, 1)).isEmpty();
    }

    @Test
    void aSuccessOrAFailureEndsTheSubStepAtOnce() {
        assertThat(defaults.retryAfter(new CallOutcome.Succeeded(Map.of()), 1)).isEmpty();
        assertThat(defaults.retryAfter(new CallOutcome.Failed("HTTP 422: no"), 1)).isEmpty();
    }

    @Test
    void theServersRetryAfterIsTheWaitUpToItsCap() {
        assertThat(defaults.retryAfter(new CallOutcome.Retryable("HTTP 429", Duration.ofSeconds(45)), 1))
            .hasValue(Duration.ofSeconds(45));
        assertThat(defaults.retryAfter(new CallOutcome.Retryable("HTTP 429", Duration.ofHours(1)), 2))
            .hasValue(Duration.ofMinutes(10));
    }

    @Test
    void theDefaultRuleIsTheDownstreamSettings() {
        assertThat(RetryRule.of(StandardPipeline.DEFAULTS))
            .isEqualTo(new RetryRule(3, Duration.ofSeconds(2), 2, Duration.ofSeconds(60), Duration.ofMinutes(10)));
    }

    private static void assertSpreadOver(RetryRule policy, int attempt, long boundMillis) {
        LongSummaryStatistics waits = draws(policy, attempt);
        assertThat(waits.getMin()).as("attempt %d: smallest wait", attempt)
            .isGreaterThanOrEqualTo(0)
            .isLessThan(boundMillis / 10);
        assertThat(waits.getMax()).as("attempt %d: largest wait", attempt)
            .isLessThanOrEqualTo(boundMillis)
            .isGreaterThan(boundMillis * 9 / 10);
    }

    private static LongSummaryStatistics draws(RetryRule policy, int attempt) {
        return IntStream.range(0, DRAWS)
            .mapToLong(draw -> policy.delayAfter(attempt, null).toMillis())
            .summaryStatistics();
    }

    private static RetryRule policy(Duration base, double factor, Duration max, int attempts) {
        return new RetryRule(attempts, base, factor, max, Duration.ofMinutes(10));
    }

}
