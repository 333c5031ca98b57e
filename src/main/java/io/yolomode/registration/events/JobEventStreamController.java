package io.yolomode.registration.events;

import java.util.UUID;

import io.yolomode.registration.job.JobQueries;
import io.yolomode.registration.security.Caller;
import io.yolomode.registration.system.ApiException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/registration/jobs/{jobId}/events}: Server-Sent Events of one job. A new stream starts with the
 * current progress; each change after it is one {@code progress} event whose id is the history sequence; a
 * reconnect with {@code Last-Event-ID} continues after that sequence; the stream ends after the job ends.
 */
@RestController
class JobEventStreamController {

    private final JobQueries queries;

    private final JobChangeHub hub;

    private final JsonMapper jsonMapper;

    private final EventStreamProperties properties;

    JobEventStreamController(JobQueries queries, JobChangeHub hub, JsonMapper jsonMapper,
            EventStreamProperties properties) {
        this.queries = queries;
        this.hub = hub;
        this.jsonMapper = jsonMapper;
        this.properties = properties;
    }

    @GetMapping("/api/registration/jobs/{jobId}/events")
    SseEmitter events(Caller caller, @PathVariable UUID jobId,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        queries.requireVisible(caller, jobId);
        long after = parse(lastEventId);
        SseEmitter emitter = new SseEmitter(properties.timeout().toMillis());
        JobStreamClient[] client = new JobStreamClient[1];
        client[0] = new JobStreamClient(jobId, emitter, after, queries, jsonMapper, () -> hub.unregister(client[0]));
        emitter.onCompletion(() -> hub.unregister(client[0]));
        emitter.onTimeout(client[0]::close);
        emitter.onError(error -> hub.unregister(client[0]));
        hub.register(client[0]);
        return emitter;
    }

    private static long parse(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(lastEventId.trim());
        }
        catch (NumberFormatException ex) {
            throw ApiException.badRequest("Last-Event-ID must be an event sequence number, got '" + lastEventId + "'");
        }
    }
}
