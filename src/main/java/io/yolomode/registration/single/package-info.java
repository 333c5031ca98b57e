/**
 * The dialog's single-restaurant commands: execute once and resume after a failure,
 * creating, reusing and scheduling the restaurant's job, behind the feature flag.
 */
@NullMarked
@ApplicationModule(allowedDependencies = { "job", "progress", "queue", "restaurant", "secrets", "security", "system" })
package io.yolomode.registration.single;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
