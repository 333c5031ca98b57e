/**
 * Batches of YOLO runs: the batch entity and its counters, creating, starting and
 * cancelling a batch (one job per restaurant, run by the same runner as single-restaurant
 * jobs), and the batch endpoints.
 */
@NullMarked
@ApplicationModule(
        allowedDependencies = { "cancel", "job", "progress", "queue", "restaurant", "secrets", "security", "system" })
package io.yolomode.registration.batch;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
