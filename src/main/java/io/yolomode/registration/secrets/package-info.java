/**
 * Passwords at rest: the data keys that seal them, sealing a form's passwords and opening
 * them for the run that sends them, and sealing what older jobs stored in clear.
 */
@NullMarked
@ApplicationModule(allowedDependencies = { "job", "security" })
package io.yolomode.registration.secrets;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
