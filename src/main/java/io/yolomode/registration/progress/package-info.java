/**
 * The progress document of a job ({@code sub_step_progress}): phases, sub-steps, their
 * statuses, the run context, and the rules that build and change it. It knows nothing of
 * the pipeline beyond the layout it is given.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {})
package io.yolomode.registration.progress;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
