package io.yolomode.registration.query;

import java.util.UUID;

import io.yolomode.registration.job.JobStatus;

/**
 * What the listing is narrowed to; null means any. {@code organisationId} null with {@code allOrganisations}
 * lists every organisation (super admins only).
 */
public record JobFilter(UUID organisationId, boolean allOrganisations, JobStatus status, UUID restaurantId,
        UUID batchJobId) {
}
