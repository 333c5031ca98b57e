package io.yolomode.registration.job;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One sub-step's entry in {@code sub_step_progress}: times are epoch milliseconds; {@code attempt} is the call
 * under way, {@code attempts} the calls made when it ended; {@code result} is the downstream answer, bounded.
 * {@code generation} counts the sub-step's fresh starts (absent means 1): it goes up when the sub-step runs again
 * after it ended failed or cancelled, and for every sub-step on {@code restart: true}; retries and takeovers keep
 * it. {@code idempotency_key} is the key its calls of this generation sent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubStepProgress(
        SubStepStatus status,
        @JsonProperty("started_at") Long startedAt,
        @JsonProperty("completed_at") Long completedAt,
        Integer attempt,
        Integer attempts,
        @JsonProperty("previous_error") String previousError,
        String error,
        String reason,
        @JsonProperty("blocked_by") List<String> blockedBy,
        Object result,
        Integer generation,
        @JsonProperty("idempotency_key") String idempotencyKey) {

    public SubStepProgress(SubStepStatus status, Long startedAt, Long completedAt, Integer attempt, Integer attempts,
            String previousError, String error, String reason, List<String> blockedBy, Object result) {
        this(status, startedAt, completedAt, attempt, attempts, previousError, error, reason, blockedBy, result, null,
                null);
    }

    public static SubStepProgress pending() {
        return new SubStepProgress(SubStepStatus.PENDING, null, null, null, null, null, null, null, null, null);
    }

    /** Pending again in the given generation, with no key used yet in it. */
    public static SubStepProgress pending(int generation) {
        return new SubStepProgress(SubStepStatus.PENDING, null, null, null, null, null, null, null, null, null,
                generation <= 1 ? null : generation, null);
    }

    /** The generation, 1 when the entry has none (every entry written before generations existed). */
    public int generationOrFirst() {
        return generation == null ? 1 : generation;
    }

    /** This transition with the generation and key of the entry it follows, where it does not set its own. */
    public SubStepProgress following(SubStepProgress earlier) {
        if (earlier == null || (generation != null && idempotencyKey != null)) {
            return this;
        }
        Integer sameOrEarlier = generation != null ? generation : earlier.generation();
        String key = idempotencyKey != null ? idempotencyKey
                : java.util.Objects.equals(sameOrEarlier, earlier.generation()) ? earlier.idempotencyKey() : null;
        return new SubStepProgress(status, startedAt, completedAt, attempt, attempts, previousError, error, reason,
                blockedBy, result, sameOrEarlier, key);
    }

    /** The entry with the key its calls send. */
    public SubStepProgress withIdempotencyKey(String key) {
        return new SubStepProgress(status, startedAt, completedAt, attempt, attempts, previousError, error, reason,
                blockedBy, result, generation, key);
    }
}
