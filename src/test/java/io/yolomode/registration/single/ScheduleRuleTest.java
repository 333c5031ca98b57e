package io.yolomode.registration.single;

import java.time.Duration;
import java.time.Instant;

import io.yolomode.registration.system.Refusal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The schedule rule's edges that the API cannot reach with the default horizon: a horizon
 * longer than what PostgreSQL stores still stops at the last {@code timestamptz}, and one
 * beyond Java's own range does not overflow.
 */
class ScheduleRuleTest {

    private static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");

    @Test
    void pastAndMissingMeanNowAndTheHorizonItselfIsAllowed() {
        ScheduleRule rule = new ScheduleRule(Duration.ofDays(365));

        assertThat(rule.startOf(null, NOW)).isEqualTo(NOW);
        assertThat(rule.startOf(Instant.parse("-999999-01-01T00:00:00Z"), NOW)).isEqualTo(NOW);
        assertThat(rule.startOf(NOW.plus(Duration.ofDays(365)), NOW)).isEqualTo(NOW.plus(Duration.ofDays(365)));
        assertThatThrownBy(() -> rule.startOf(NOW.plus(Duration.ofDays(365)).plusMillis(1), NOW))
            .isInstanceOf(Refusal.class)
            .hasMessageContaining("too far ahead");
    }

    @Test
    void aHorizonBeyondWhatTheDatabaseHoldsStopsAtTheLastStorableInstant() {
        for (Duration horizon : new Duration[] { Duration.ofDays(200_000_000L), Duration.ofSeconds(Long.MAX_VALUE) }) {
            ScheduleRule rule = new ScheduleRule(horizon);

            assertThat(rule.startOf(ScheduleRule.LATEST_STORABLE, NOW)).isEqualTo(ScheduleRule.LATEST_STORABLE);
            assertThatThrownBy(() -> rule.startOf(Instant.parse("+294277-01-01T00:00:00Z"), NOW))
                .isInstanceOf(Refusal.class)
                .hasMessageContaining("too far ahead");
        }
    }

}
