/**
 * The registration API as this service calls it: the one HTTP client, a call and its
 * classified outcome, the redaction of passwords in what is stored about an answer, and
 * aborting a run's calls under way.
 */
@NullMarked
@ApplicationModule(allowedDependencies = { "system" })
package io.yolomode.registration.downstream;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
