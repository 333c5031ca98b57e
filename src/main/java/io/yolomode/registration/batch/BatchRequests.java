package io.yolomode.registration.batch;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.yolomode.registration.job.FormData;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * What the batch endpoints take and answer.
 */
final class BatchRequests {

    private BatchRequests() {
    }

    /**
     * A batch to create: the same form for every restaurant, or the restaurant's own form
     * from {@code overrides}; {@code autoStart} starts it at once.
     */
    record CreateBatch(@NotBlank @Size(max = 200) String name,
            @NotEmpty @Size(max = 1000) List<@NotNull UUID> restaurantIds, @NotNull @Valid FormData executionConfig,
            @Nullable Map<UUID, @Valid FormData> overrides, @Nullable Boolean autoStart) {
    }

    record BatchView(UUID id, String name, String status, @JsonProperty("total_restaurants") int totalRestaurants,
            @JsonProperty("completed_restaurants") int completedRestaurants,
            @JsonProperty("failed_restaurants") int failedRestaurants,
            @JsonProperty("cancelled_restaurants") int cancelledRestaurants,
            @JsonProperty("created_at") java.time.Instant createdAt,
            @JsonProperty("started_at") java.time.@Nullable Instant startedAt,
            @JsonProperty("completed_at") java.time.@Nullable Instant completedAt,
            @JsonProperty("updated_at") java.time.Instant updatedAt) {

        static BatchView of(RegistrationBatchJob batch) {
            return new BatchView(batch.getId(), batch.getName(), batch.getStatus().value(), batch.getTotalRestaurants(),
                    batch.getCompletedRestaurants(), batch.getFailedRestaurants(), batch.getCancelledRestaurants(),
                    batch.getCreatedAt(), batch.getStartedAt(), batch.getCompletedAt(), batch.getUpdatedAt());
        }
    }

    record BatchJobView(@JsonProperty("job_id") UUID jobId, @JsonProperty("restaurant_id") UUID restaurantId,
            @JsonProperty("restaurant_name") String restaurantName, String status,
            @JsonProperty("current_phase") @Nullable String currentPhase, @Nullable String error) {
    }

    /** A batch with its jobs: the answer of create, start and detail. */
    record Detail(boolean success, @JsonProperty("batch_job") BatchView batchJob,
            @JsonProperty("registration_jobs") List<BatchJobView> registrationJobs) {
    }

    record Summary(int total, int completed, int failed, int cancelled, @JsonProperty("in_progress") int inProgress,
            int pending) {
    }

    record Progress(boolean success, UUID id, String status, @JsonProperty("progress_percent") int progressPercent,
            @JsonProperty("current_phase_counts") Map<String, Integer> currentPhaseCounts,
            @JsonProperty("restaurants_summary") Summary restaurantsSummary,
            @JsonProperty("last_updated") java.time.Instant lastUpdated) {
    }

    record Page(List<BatchView> content, int page, int size, long totalElements, int totalPages) {
    }

    /**
     * A cancel's answer: {@code cancelled} at once, or {@code cancelling} while owners
     * stop running jobs.
     */
    record CancelAnswer(boolean success, UUID id, String status) {
    }

}
