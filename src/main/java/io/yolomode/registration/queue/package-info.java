/**
 * The queue: every statement that changes a job's status, lease, cancel flag or schedule,
 * each with the history entry it appends, the runner's own connections, and the
 * notification channels.
 */
@NullMarked
@ApplicationModule(allowedDependencies = { "job", "progress" })
package io.yolomode.registration.queue;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
