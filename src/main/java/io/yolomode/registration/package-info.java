/**
 * The yolo-registration service. Each top-level package below is one application module;
 * its {@code package-info.java} says what it owns and which modules it may use.
 */
@NullMarked
package io.yolomode.registration;

import org.jspecify.annotations.NullMarked;
