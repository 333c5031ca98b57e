/**
 * The local profile: the embedded PostgreSQL and its data folder, the generated local
 * secrets, the simulated registration API, the demo data and the ready banner. None of it
 * runs with an external database.
 */
@NullMarked
@ApplicationModule(allowedDependencies = { "secrets", "security" })
package io.yolomode.registration.local;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
