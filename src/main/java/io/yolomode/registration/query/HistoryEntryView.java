package io.yolomode.registration.query;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of a job's history as the API shows it; a sub-step's call names the idempotency key it sent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryEntryView(long sequence, Instant at, String type, String subStep, String status, Integer attempt,
        String error, String idempotencyKey) {
}
