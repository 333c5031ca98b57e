/**
 * The runner: claiming runnable jobs, running them on this instance's pools, renewing
 * their leases, handing them back on shutdown, and the runner's readiness and gauges.
 */
@NullMarked
@ApplicationModule(allowedDependencies = { "job", "live", "pipeline", "queue" })
package io.yolomode.registration.runner;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
