package io.yolomode.registration.progress;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One sub-step's entry in {@code sub_step_progress}: times are epoch milliseconds;
 * {@code attempt} is the call under way, {@code attempts} the calls made when it ended;
 * {@code result} is the downstream answer, bounded. {@code generation} counts the
 * sub-step's fresh starts (absent means 1): it goes up when the sub-step runs again after
 * it ended failed or cancelled, and for every sub-step on {@code restart: true}; retries
 * and takeovers keep it. {@code idempotency_key} is the key its calls of this generation
 * sent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubStepProgress(SubStepStatus status, @JsonProperty("started_at") @Nullable Long startedAt,
        @JsonProperty("completed_at") @Nullable Long completedAt, @Nullable Integer attempt, @Nullable Integer attempts,
        @JsonProperty("previous_error") @Nullable String previousError, @Nullable String error, @Nullable String reason,
        @JsonProperty("blocked_by") @Nullable List<String> blockedBy, @Nullable Object result,
        @Nullable Integer generation, @JsonProperty("idempotency_key") @Nullable String idempotencyKey) {

    public static SubStepProgress pending() {
        return new SubStepProgress(SubStepStatus.PENDING, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    /** Pending again in the given generation, with no key used yet in it. */
    public static SubStepProgress pending(int generation) {
        return new SubStepProgress(SubStepStatus.PENDING, null, null, null, null, null, null, null, null, null,
                generation <= 1 ? null : generation, null);
    }

    /** Pending because a requirement did not end completed or skipped. */
    public static SubStepProgress blocked(List<String> unmetRequirements) {
        return new SubStepProgress(SubStepStatus.PENDING, null, null, null, null, null, null, null,
                List.copyOf(unmetRequirements), null, null, null);
    }

    /** Pending, waiting for something the reason names (the rate limit). */
    public static SubStepProgress waiting(String reason) {
        return new SubStepProgress(SubStepStatus.PENDING, null, null, null, null, null, null, reason, null, null, null,
                null);
    }

    public static SubStepProgress skipped(long at, String reason) {
        return new SubStepProgress(SubStepStatus.SKIPPED, null, at, null, null, null, null, reason, null, null, null,
                null);
    }

    /**
     * The first call under way, keeping the generation and key of the entry it follows.
     */
    public static SubStepProgress started(long startedAt) {
        return new SubStepProgress(SubStepStatus.IN_PROGRESS, startedAt, null, 1, null, null, null, null, null, null,
                null, null);
    }

    /**
     * The first call under way in the given generation, sending the given idempotency
     * key.
     */
    public static SubStepProgress started(long startedAt, int generation, String idempotencyKey) {
        return new SubStepProgress(SubStepStatus.IN_PROGRESS, startedAt, null, 1, null, null, null, null, null, null,
                generation, idempotencyKey);
    }

    /**
     * Waiting to make the given attempt after the previous one ended with a retryable
     * error.
     */
    public static SubStepProgress retrying(long startedAt, int attempt, String previousError) {
        return new SubStepProgress(SubStepStatus.RETRYING, startedAt, null, attempt, null, previousError, null, null,
                null, null, null, null);
    }

    public static SubStepProgress completed(long startedAt, long completedAt, int attempts, @Nullable Object result) {
        return new SubStepProgress(SubStepStatus.COMPLETED, startedAt, completedAt, null, attempts, null, null, null,
                null, result, null, null);
    }

    public static SubStepProgress failed(long startedAt, long failedAt, int attempts, String error) {
        return new SubStepProgress(SubStepStatus.FAILED, startedAt, failedAt, null, attempts, null, error, null, null,
                null, null, null);
    }

    /**
     * This entry cancelled at the given time: it keeps its start, its calls made so far
     * and its previous error, its generation and key.
     */
    public SubStepProgress cancelled(long at) {
        return new SubStepProgress(SubStepStatus.CANCELLED, startedAt, at, null, attempts != null ? attempts : attempt,
                previousError, null, "cancelled", null, null, generation, idempotencyKey);
    }

    /** The entry in the given generation, with the key its calls send. */
    public SubStepProgress inGeneration(int generation, @Nullable String idempotencyKey) {
        return new SubStepProgress(status, startedAt, completedAt, attempt, attempts, previousError, error, reason,
                blockedBy, result, generation, idempotencyKey);
    }

    /** The entry with the error of an earlier attempt. */
    public SubStepProgress withPreviousError(@Nullable String previousError) {
        return new SubStepProgress(status, startedAt, completedAt, attempt, attempts, previousError, error, reason,
                blockedBy, result, generation, idempotencyKey);
    }

    /**
     * The generation, 1 when the entry has none (every entry written before generations
     * existed).
     */
    public int generationOrFirst() {
        return generation == null ? 1 : generation;
    }

    /**
     * This transition with the generation and key of the entry it follows, where it does
     * not set its own.
     */
    public SubStepProgress following(@Nullable SubStepProgress earlier) {
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
    public SubStepProgress withIdempotencyKey(@Nullable String key) {
        return new SubStepProgress(status, startedAt, completedAt, attempt, attempts, previousError, error, reason,
                blockedBy, result, generation, key);
    }
}
