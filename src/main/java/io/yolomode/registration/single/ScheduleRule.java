package io.yolomode.registration.single;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

import io.yolomode.registration.system.Refusal;
import org.jspecify.annotations.Nullable;

/**
 * When a job asked to start at {@code scheduledAt} is due: a time in the past (or none)
 * means now; a time further ahead than {@code registration.api.max-schedule-ahead}, or
 * beyond what a PostgreSQL {@code timestamptz} holds, is refused, so no date a caller
 * sends reaches the database unchecked.
 */
record ScheduleRule(Duration maxAhead) {

    /**
     * The last instant a {@code timestamptz} column holds (294276-12-31 23:59:59.999999
     * UTC).
     */
    static final Instant LATEST_STORABLE = Instant.parse("+294276-12-31T23:59:59.999999Z");

    Instant startOf(@Nullable Instant requested, Instant now) {
        if (requested == null || !requested.isAfter(now)) {
            return now;
        }
        Instant latest = latest(now);
        if (requested.isAfter(latest)) {
            throw Refusal.invalid("scheduledAt " + requested + " is too far ahead: the latest start is " + latest + " ("
                    + horizon() + " from now)");
        }
        return requested;
    }

    private String horizon() {
        return maxAhead.toSeconds() % 86_400 == 0 ? maxAhead.toDays() + " days" : maxAhead.toString();
    }

    private Instant latest(Instant now) {
        try {
            Instant latest = now.plus(maxAhead);
            return latest.isAfter(LATEST_STORABLE) ? LATEST_STORABLE : latest;
        }
        catch (DateTimeException | ArithmeticException beyondInstant) {
            return LATEST_STORABLE;
        }
    }
}
