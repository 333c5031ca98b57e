package io.yolomode.registration.progress;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * The progress answer of a job, read in one query: the job's fields, and its phases and context passed through as
 * PostgreSQL stores them, without turning the document into objects and back. Keys inside {@code phases} come
 * in JSONB's order rather than the pipeline's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredProgress(
        boolean success,
        UUID jobId,
        UUID restaurantId,
        UUID batchJobId,
        String status,
        String currentPhase,
        @JsonRawValue String phases,
        @JsonRawValue String context,
        String error,
        Instant scheduledAt,
        Instant startedAt,
        Instant completedAt,
        Instant updatedAt,
        long version) {
}
