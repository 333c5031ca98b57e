package io.yolomode.registration.single;

import java.time.Instant;
import java.util.UUID;

import io.yolomode.registration.job.FormData;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The dialog's one POST: which restaurant, the form, whether to run everything again, and when to start.
 */
public record ExecuteRequest(
        @NotNull UUID restaurantId,
        @NotNull @Valid FormData formData,
        Boolean restart,
        Instant scheduledAt) {

    boolean restartRequested() {
        return Boolean.TRUE.equals(restart);
    }
}
