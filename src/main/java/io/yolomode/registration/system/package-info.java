/**
 * What every endpoint shares: the API's error answers (problem documents) and request
 * limits, the JSON rules for bodies and columns, and the API description.
 */
@NullMarked
@ApplicationModule(allowedDependencies = {})
package io.yolomode.registration.system;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
