package io.yolomode.registration.job;

import java.util.UUID;

/**
 * What the listing is narrowed to; null means any. {@code organisationId} null with {@code allOrganisations}
 * lists every organisation (super admins only).
 */
public record JobFilter(UUID organisationId, boolean allOrganisations, JobStatus status, UUID restaurantId,
        UUID batchJobId) {
}
