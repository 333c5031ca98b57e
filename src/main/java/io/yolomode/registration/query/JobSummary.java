package io.yolomode.registration.query;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One line of the admin listing: a job without its progress document.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSummary(UUID jobId, UUID organisationId, UUID restaurantId, String restaurantName,
        @Nullable UUID batchJobId, String status, @Nullable String currentPhase, @Nullable String error,
        Instant createdAt, Instant scheduledAt, @Nullable Instant startedAt, @Nullable Instant completedAt,
        Instant updatedAt) {
}
