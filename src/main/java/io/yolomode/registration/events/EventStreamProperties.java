package io.yolomode.registration.events;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the job event streams.
 *
 * @param heartbeatInterval how often an idle stream gets a comment line, so proxies keep it open
 * @param timeout           how long one stream stays open; the client reconnects with Last-Event-ID
 * @param senderThreads     threads that send to clients; a client stuck on a full socket holds one of them
 */
@ConfigurationProperties("registration.events")
public record EventStreamProperties(
        @DefaultValue("15s") Duration heartbeatInterval,
        @DefaultValue("30m") Duration timeout,
        @DefaultValue("8") int senderThreads) {
}
