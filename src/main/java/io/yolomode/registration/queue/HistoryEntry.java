package io.yolomode.registration.queue;

import io.yolomode.registration.progress.SubStepProgress;
import org.jspecify.annotations.Nullable;

/**
 * An entry that a progress write appends to the job's history
 * ({@code registration_job_events}).
 */
public record HistoryEntry(HistoryEntryType type, String subStep, String status, @Nullable Integer attempt,
        @Nullable String error, @Nullable String idempotencyKey) {

    public static HistoryEntry subStep(String key, SubStepProgress progress) {
        Integer attempt = progress.attempt() != null ? progress.attempt() : progress.attempts();
        String error = progress.error() != null ? progress.error() : progress.previousError();
        return new HistoryEntry(HistoryEntryType.SUB_STEP, key, progress.status().value(), attempt, error,
                progress.idempotencyKey());
    }
}
