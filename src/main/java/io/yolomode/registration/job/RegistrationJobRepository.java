package io.yolomode.registration.job;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Jobs as entities; the runner's hot-path statements live in the runner, not here.
 */
public interface RegistrationJobRepository extends JpaRepository<RegistrationJob, UUID> {

    Optional<RegistrationJob> findFirstByRestaurantIdAndBatchJobIdIsNullOrderByCreatedAtDesc(UUID restaurantId);

    Optional<RegistrationJob> findByIdAndOrganisationId(UUID id, UUID organisationId);

}
