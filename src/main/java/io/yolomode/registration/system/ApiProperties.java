package io.yolomode.registration.system;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the HTTP API.
 *
 * @param maxBodySize the largest request body accepted; larger ones get 413
 * @param maxJsonDepth the deepest nesting of objects and arrays a JSON body may have;
 * deeper ones get 400
 * @param maxStringLength the longest string (and object key) of a JSON body, in
 * characters; longer ones get 400
 * @param maxScheduleAhead how far ahead {@code scheduledAt} may lie; further gets 400
 */
@ConfigurationProperties("registration.api")
public record ApiProperties(@DefaultValue("256KB") DataSize maxBodySize, @DefaultValue("32") int maxJsonDepth,
        @DefaultValue("10000") int maxStringLength, @DefaultValue("365d") Duration maxScheduleAhead) {
}
