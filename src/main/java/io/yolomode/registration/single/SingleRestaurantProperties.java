package io.yolomode.registration.single;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The feature flag of the asynchronous single-restaurant mode.
 *
 * @param enabled when off, execute answers 403 and the frontend falls back to its old
 * path
 */
@ConfigurationProperties("registration.async-single-restaurant")
public record SingleRestaurantProperties(@DefaultValue("true") boolean enabled) {
}
