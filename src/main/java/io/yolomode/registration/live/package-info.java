/**
 * Live progress: the instance's one database listener, the event streams of a job
 * (Server-Sent Events) with their limits, and the feed of job changes that keeps the read
 * side's poll cache current.
 */
@NullMarked
@ApplicationModule(allowedDependencies = { "job", "progress", "query", "queue", "security", "system" })
package io.yolomode.registration.live;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
