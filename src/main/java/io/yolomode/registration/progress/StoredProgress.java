package io.yolomode.registration.progress;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import org.jspecify.annotations.Nullable;

/**
 * The progress answer of a job, read in one query: the job's fields, and its phases and
 * context passed through as PostgreSQL stores them, without turning the document into
 * objects and back. Keys inside {@code phases} come in JSONB's order rather than the
 * pipeline's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredProgress(boolean success, UUID jobId, UUID restaurantId, @Nullable UUID batchJobId, String status,
        @Nullable String currentPhase, @JsonRawValue @Nullable String phases, @JsonRawValue @Nullable String context,
        @Nullable String error, Instant scheduledAt, @Nullable Instant startedAt, @Nullable Instant completedAt,
        Instant updatedAt, long version) {
}
