package io.yolomode.registration.query;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of the admin listing: a job without its progress document.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSummary(UUID jobId, UUID organisationId, UUID restaurantId, String restaurantName, UUID batchJobId,
        String status, String currentPhase, String error, Instant createdAt, Instant scheduledAt, Instant startedAt,
        Instant completedAt, Instant updatedAt) {
}
