/**
 * The YOLO pipeline: its table of phases and sub-steps, and running one claimed job
 * through it (scheduling a phase's sub-steps, their attempts under each row's retry rule
 * and rate limit, and the job's outcome).
 */
@NullMarked
@ApplicationModule(allowedDependencies = { "downstream", "job", "progress", "queue", "secrets" })
package io.yolomode.registration.pipeline;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
