package io.yolomode.registration.job;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Appends a job's first history entry, at its creation (reads go through
 * {@link JobQueries}).
 */
public interface RegistrationJobHistoryRepository extends JpaRepository<RegistrationJobHistoryEntry, Long> {

}
