package io.yolomode.registration.query;

import java.util.UUID;

import io.yolomode.registration.job.JobStatus;
import org.jspecify.annotations.Nullable;

/**
 * What the listing is narrowed to; null means any. {@code organisationId} null with
 * {@code allOrganisations} lists every organisation (super admins only).
 */
public record JobFilter(@Nullable UUID organisationId, boolean allOrganisations, @Nullable JobStatus status,
        @Nullable UUID restaurantId, @Nullable UUID batchJobId) {
}
