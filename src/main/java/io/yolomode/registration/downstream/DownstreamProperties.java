package io.yolomode.registration.downstream;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How the registration API is called.
 *
 * @param baseUrl where the registration API is
 * @param serviceKey sent as {@code X-Service-Key}; the user's token is never forwarded,
 * since it expires during hour-long runs
 * @param connectTimeout time to open a connection
 * @param maxConnections open connections to the registration API at most, in use or kept
 * alive for the next call; above it calls wait for one
 * @param responseTimeout time to wait for an answer, unless the sub-step's row declares
 * its own (optionSets and itemTags: 60 minutes)
 * @param responseTimeouts per sub-step key, overriding the row's timeout
 * @param maxAttempts calls per sub-step before it fails, the first included (every row's
 * retry rule unless it declares its own, like the four below)
 * @param backoffBase first retry delay before jitter
 * @param backoffFactor growth of the delay per retry
 * @param backoffMax cap of the computed delay
 * @param retryAfterMax longest Retry-After that is honoured as asked; longer ones are cut
 * to it
 * @param resultMaxSize largest response body kept as a sub-step's result
 * @param accountCreationMinInterval least time between two cloudwaitressAccount starts
 * across the cluster; zero disables the limit
 * @param minIntervals per sub-step key, the least time between two of its starts across
 * the cluster, overriding the row's rate limit (zero disables it)
 */
@ConfigurationProperties("registration.downstream")
public record DownstreamProperties(@DefaultValue("http://localhost:3000") String baseUrl,
        @DefaultValue("") String serviceKey, @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("200") int maxConnections, @DefaultValue("10m") Duration responseTimeout,
        Map<String, Duration> responseTimeouts, @DefaultValue("3") int maxAttempts,
        @DefaultValue("2s") Duration backoffBase, @DefaultValue("2") double backoffFactor,
        @DefaultValue("60s") Duration backoffMax, @DefaultValue("10m") Duration retryAfterMax,
        @DefaultValue("16KB") DataSize resultMaxSize, @DefaultValue("60s") Duration accountCreationMinInterval,
        Map<String, Duration> minIntervals) {

    public DownstreamProperties {
        responseTimeouts = responseTimeouts == null ? Map.of() : Map.copyOf(responseTimeouts);
        minIntervals = minIntervals == null ? Map.of() : Map.copyOf(minIntervals);
    }

    @Override
    public String toString() {
        return "DownstreamProperties[baseUrl=" + baseUrl + ", serviceKey=" + (serviceKey.isEmpty() ? "unset" : "***")
                + ", responseTimeout=" + responseTimeout + ", responseTimeouts=" + responseTimeouts + "]";
    }
}
