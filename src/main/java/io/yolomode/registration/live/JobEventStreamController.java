package io.yolomode.registration.live;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.yolomode.registration.query.JobQueries;
import io.yolomode.registration.security.Caller;
import io.yolomode.registration.system.Refusal;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/registration/jobs/{jobId}/events}: Server-Sent Events of one job. A new
 * stream starts with the current progress; each change after it is one {@code progress}
 * event whose id is the history sequence; a reconnect with {@code Last-Event-ID}
 * continues after that sequence; the stream ends after the job ends, after
 * {@code registration.events.timeout}, or when the token it was opened with expires,
 * whichever comes first.
 */
@RestController
class JobEventStreamController {

    private final JobQueries queries;

    private final JobChangeHub hub;

    private final JsonMapper jsonMapper;

    private final EventStreamProperties properties;

    private final Clock clock;

    JobEventStreamController(JobQueries queries, JobChangeHub hub, JsonMapper jsonMapper,
            EventStreamProperties properties, Clock clock) {
        this.queries = queries;
        this.hub = hub;
        this.jsonMapper = jsonMapper;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/api/registration/jobs/{jobId}/events")
    SseEmitter events(Caller caller, @AuthenticationPrincipal Jwt token, @PathVariable UUID jobId,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId) {
        queries.requireVisible(caller, jobId);
        long after = parse(lastEventId);
        SseEmitter emitter = new SseEmitter(lifetime(token).toMillis());
        JobStreamClient client = new JobStreamClient(jobId, caller.organisationId() + "/" + caller.subject(), emitter,
                after, queries, jsonMapper, hub::unregister);
        emitter.onCompletion(client::release);
        emitter.onTimeout(client::close);
        emitter.onError(error -> client.release());
        hub.register(client);
        return emitter;
    }

    /**
     * The stream may not outlive the token it was opened with: a revoked or expired
     * caller must not keep receiving. The client reconnects with a fresh token and
     * Last-Event-ID.
     */
    private Duration lifetime(Jwt token) {
        Duration lifetime = properties.timeout();
        Instant expiresAt = token == null ? null : token.getExpiresAt();
        if (expiresAt != null) {
            Duration left = Duration.between(clock.instant(), expiresAt);
            if (left.compareTo(lifetime) < 0) {
                // At least a moment: a token accepted within the allowed clock skew still
                // gets its answer.
                lifetime = left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
            }
        }
        return lifetime;
    }

    private static long parse(@Nullable String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(lastEventId.trim());
        }
        catch (NumberFormatException ex) {
            throw Refusal.invalid("Last-Event-ID must be an event sequence number, got '" + lastEventId + "'");
        }
    }

}
