package io.yolomode.registration.job;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Appends to a job's history (reads go through {@link JobQueries}).
 */
public interface RegistrationJobEventRepository extends JpaRepository<RegistrationJobEvent, Long> {
}
