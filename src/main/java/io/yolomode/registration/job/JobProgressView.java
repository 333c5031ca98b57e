package io.yolomode.registration.job;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a poll sees: the job's status and times, and its phases exactly as {@code sub_step_progress} holds them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobProgressView(
        boolean success,
        UUID jobId,
        UUID restaurantId,
        UUID batchJobId,
        String status,
        String currentPhase,
        Map<String, PhaseProgress> phases,
        RunContext context,
        String error,
        Instant scheduledAt,
        Instant startedAt,
        Instant completedAt,
        Instant updatedAt,
        long version) {

    public static JobProgressView of(RegistrationJob job, ProgressDocument progress) {
        return new JobProgressView(true, job.getId(), job.getRestaurantId(), job.getBatchJobId(),
                job.getStatus().value(), progress == null ? null : progress.currentPhase(),
                progress == null ? null : progress.phases(), progress == null ? null : progress.context(),
                job.getErrorMessage(), job.getScheduledAt(),
                job.getStartedAt(), job.getCompletedAt(), job.getUpdatedAt(), job.getVersion());
    }

    /**
     * The answer for a restaurant that has never had a single-restaurant job.
     */
    public record NotStarted(boolean success, UUID restaurantId, String status) {

        public static NotStarted of(UUID restaurantId) {
            return new NotStarted(true, restaurantId, "not_started");
        }
    }
}
