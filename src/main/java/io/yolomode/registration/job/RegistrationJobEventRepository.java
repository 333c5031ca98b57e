package io.yolomode.registration.job;

import java.util.List;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * A job's history, oldest first.
 */
public interface RegistrationJobEventRepository extends JpaRepository<RegistrationJobEvent, Long> {

    List<RegistrationJobEvent> findByRegistrationJobIdOrderBySequence(UUID registrationJobId);
}
