/**
 * Who is calling: bearer tokens checked and read into a caller scoped to one
 * organisation, the filter chain, and the settings the service refuses to start without.
 */
@NullMarked
@ApplicationModule(allowedDependencies = { "system" })
package io.yolomode.registration.security;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
