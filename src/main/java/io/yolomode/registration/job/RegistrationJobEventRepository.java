package io.yolomode.registration.job;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Appends to a job's history (reads go through {@code query.JobQueries}).
 */
public interface RegistrationJobEventRepository extends JpaRepository<RegistrationJobEvent, Long> {
}
