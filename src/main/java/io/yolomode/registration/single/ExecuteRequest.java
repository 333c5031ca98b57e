package io.yolomode.registration.single;

import java.time.Instant;
import java.util.UUID;

import io.yolomode.registration.job.FormData;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

/**
 * The dialog's one POST: which restaurant, the form, whether to run everything again, and
 * when to start.
 */
public record ExecuteRequest(
        @Schema(description = "A restaurant of the caller's organisation",
                example = "0d5e0000-0000-4000-8000-000000000101") @NotNull UUID restaurantId,
        @Schema(description = "The dialog's form: account, restaurant, menu, website, payment, onboarding",
                example = """
                        {"account": {"email": "owner@example.com", "password": "secret", "phone": "+64 21 555 0101"},
                         "menu": {"selectedMenuId": "0d5e0000-0000-4000-8000-000000001011", "addOptionSets": true},
                         "payment": {"includeStripeLink": true}}""") @NotNull @Valid FormData formData,
        @Schema(description = "Run every sub-step again, also those that completed",
                example = "false") @Nullable Boolean restart,
        @Schema(description = "Start no earlier than this",
                example = "2026-12-01T09:00:00Z") @Nullable Instant scheduledAt) {

    boolean restartRequested() {
        return Boolean.TRUE.equals(restart);
    }
}
