package io.yolomode.registration.live;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the job event streams and of the instance's database listener that feeds
 * them.
 *
 * @param heartbeatInterval how often an idle stream gets a comment line, so proxies keep
 * it open
 * @param timeout how long one stream stays open at most; the client reconnects with
 * Last-Event-ID (a stream also ends when the token it was opened with expires)
 * @param senderThreads threads that send to clients; one more is added for each write
 * stuck on a client that does not read, while it is stuck (at most {@code maxStreams}
 * more)
 * @param maxStreams open streams per instance; one more is answered 429 with
 * {@code Retry-After}
 * @param maxStreamsPerCaller open streams per caller (organisation and token subject) on
 * one instance
 * @param retryAfter what a 429 asks the client to wait before it tries again
 * @param writeTimeout a client whose write (event or heartbeat) has not completed after
 * this long is not reading: it is dropped and its connection ends
 * @param listenerUrl JDBC URL of the listening connection when it must differ from the
 * data source's (for example to bypass a transaction-pooling PgBouncer, where LISTEN does
 * not work); the data source's URL and credentials by default
 * @param listenerCheckInterval how often the listening connection sends itself a
 * notification to prove it still hears the database
 * @param listenerCheckTimeout how long that notification may take to come back before the
 * connection is taken for dead (half-open TCP, a frozen proxy), closed and opened again
 */
@ConfigurationProperties("registration.events")
public record EventStreamProperties(@DefaultValue("15s") Duration heartbeatInterval,
        @DefaultValue("30m") Duration timeout, @DefaultValue("8") int senderThreads,
        @DefaultValue("1000") int maxStreams, @DefaultValue("20") int maxStreamsPerCaller,
        @DefaultValue("5s") Duration retryAfter, @DefaultValue("10s") Duration writeTimeout, String listenerUrl,
        @DefaultValue("5s") Duration listenerCheckInterval, @DefaultValue("5s") Duration listenerCheckTimeout) {

    /** The listener's JDBC URL may carry a password: shown only as set or not. */
    @Override
    public String toString() {
        return "EventStreamProperties[heartbeatInterval=" + heartbeatInterval + ", timeout=" + timeout
                + ", senderThreads=" + senderThreads + ", maxStreams=" + maxStreams + ", maxStreamsPerCaller="
                + maxStreamsPerCaller + ", retryAfter=" + retryAfter + ", writeTimeout=" + writeTimeout
                + ", listenerUrl=" + (listenerUrl == null ? "unset" : "***") + ", listenerCheckInterval="
                + listenerCheckInterval + ", listenerCheckTimeout=" + listenerCheckTimeout + "]";
    }
}
