/**
 * The read side: every read of jobs for the API (progress, ETag versions, history, the
 * listing), the progress polls with their cache, and the answer types. It writes nothing.
 */
@NullMarked
@ApplicationModule(allowedDependencies = { "job", "progress", "security", "system" })
package io.yolomode.registration.query;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
