/**
 * Cancelling a job for real, across instances: the decision and the cancel endpoint. The
 * statements are the queue's; a running job's owner hears of the cancel through the
 * database.
 */
@NullMarked
@ApplicationModule(allowedDependencies = { "job", "live", "progress", "queue", "security", "system" })
package io.yolomode.registration.cancel;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
