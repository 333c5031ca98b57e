/**
 * Jobs as stored: the entities and repositories of {@code registration_jobs}, their step
 * rows and the first history entry, a job's status, the dialog's form with the passwords
 * it carries, and the service's own meters.
 */
@NullMarked
@ApplicationModule(allowedDependencies = { "progress" })
package io.yolomode.registration.job;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
