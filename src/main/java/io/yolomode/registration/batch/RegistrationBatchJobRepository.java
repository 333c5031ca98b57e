package io.yolomode.registration.batch;

import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

/**
 * Batches of registration runs, always read within one organisation.
 */
interface RegistrationBatchJobRepository extends JpaRepository<RegistrationBatchJob, UUID> {

    Optional<RegistrationBatchJob> findByIdAndOrganisationId(UUID id, UUID organisationId);

    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select b from RegistrationBatchJob b where b.id = :id and b.organisationId = :organisationId")
    Optional<RegistrationBatchJob> lockByIdAndOrganisationId(UUID id, UUID organisationId);

}
