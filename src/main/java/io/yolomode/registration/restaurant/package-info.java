/**
 * Organisations, their restaurants and menus, as the pipeline reads them and the dialog's
 * pickers list them.
 */
@NullMarked
@ApplicationModule(allowedDependencies = { "security", "system" })
package io.yolomode.registration.restaurant;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
