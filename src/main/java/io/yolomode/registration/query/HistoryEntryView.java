package io.yolomode.registration.query;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One line of a job's history as the API shows it; a sub-step's call names the
 * idempotency key it sent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryEntryView(long sequence, Instant at, String type, @Nullable String subStep,
        @Nullable String status, @Nullable Integer attempt, @Nullable String error, @Nullable String idempotencyKey) {
}
