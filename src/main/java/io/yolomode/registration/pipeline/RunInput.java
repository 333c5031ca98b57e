package io.yolomode.registration.pipeline;

import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.job.FormData;
import io.yolomode.registration.progress.RunContext;
import io.yolomode.registration.progress.SubStepStatus;
import org.jspecify.annotations.Nullable;

/**
 * Everything a sub-step's condition and payload read: the job, the restaurant as stored
 * (with the form's overrides), the form, the run context and how the other sub-steps
 * ended.
 */
public record RunInput(UUID jobId, UUID organisationId, RestaurantSnapshot restaurant, FormData form,
        RunContext context, Map<String, SubStepStatus> statuses) {

    public boolean completed(String subStepKey) {
        return statuses.get(subStepKey) == SubStepStatus.COMPLETED;
    }

    /**
     * The restaurant columns the payloads read.
     */
    public record RestaurantSnapshot(UUID id, String name, @Nullable String email, @Nullable String phone,
            @Nullable String address, @Nullable String city, @Nullable Object openingHours) {
    }

    @Override
    public String toString() {
        return "RunInput[job=" + jobId + ", restaurant=" + restaurant.id() + "]";
    }
}
