package io.yolomode.registration.job;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Step rows of jobs.
 */
public interface RegistrationJobStepRepository extends JpaRepository<RegistrationJobStep, UUID> {

    Optional<RegistrationJobStep> findByRegistrationJobIdAndStepNumber(UUID registrationJobId, int stepNumber);

}
