package io.yolomode.registration.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Server-Sent Events client as a browser's EventSource is one: it reads the stream line
 * by line, collects every event with the time it arrived, and notes when the server ended
 * the stream. An event it cannot read (an id that is not a number, data that is not JSON)
 * is a failure, never a clean end: from then on {@link #ended()}, {@link #events()} and
 * {@link #ids()} throw an {@link AssertionError} naming it.
 */
public final class SseClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<Event> events = new CopyOnWriteArrayList<>();

    private final List<String> comments = new CopyOnWriteArrayList<>();

    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    private volatile boolean ended;

    private volatile boolean closedByUs;

    private volatile String parseError;

    private volatile Throwable readError;

    private volatile int status;

    /** One received event: its id, name, data and the wall-clock time it arrived. */
    public record Event(long id, String name, JsonNode data, long receivedAtMillis) {
    }

    private SseClient(HttpRequest request) {
        HttpClient http = HttpClient.newHttpClient();
        this.response = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        this.response.thenAcceptAsync(answer -> {
            status = answer.statusCode();
            read(answer.body());
        });
    }

    public static SseClient connect(int port, String path, String token, Long lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Accept", "text/event-stream")
            .timeout(Duration.ofMinutes(5))
            .GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId.toString());
        }
        return new SseClient(request.build());
    }

    private void read(Stream<String> lines) {
        List<String> data = new ArrayList<>();
        String[] id = { null };
        String[] name = { null };
        try {
            lines.forEach(line -> {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(parse(id[0], name[0], String.join("\n", data)));
                    }
                    data.clear();
                    id[0] = null;
                    name[0] = null;
                }
                else if (line.startsWith(":")) {
                    comments.add(line);
                }
                else if (line.startsWith("id:")) {
                    id[0] = line.substring(3).trim();
                }
                else if (line.startsWith("event:")) {
                    name[0] = line.substring(6).trim();
                }
                else if (line.startsWith("data:")) {
                    data.add(line.substring(5));
                }
                else if (!line.startsWith("retry:")) {
                    throw new MalformedEvent("a line that is no SSE field: " + line);
                }
            });
        }
        catch (MalformedEvent ex) {
            parseError = ex.getMessage();
        }
        catch (RuntimeException ex) {
            if (!closedByUs) {
                // the connection broke: an EventSource would see an end too, but the
                // cause stays readable
                readError = ex;
            }
        }
        ended = true;
    }

    private static Event parse(String id, String name, String data) {
        long parsedId;
        try {
            parsedId = id == null ? -1 : Long.parseLong(id);
        }
        catch (NumberFormatException ex) {
            throw new MalformedEvent("an event id that is not a number: " + id);
        }
        try {
            return new Event(parsedId, name, JSON.readTree(data), System.currentTimeMillis());
        }
        catch (RuntimeException ex) {
            throw new MalformedEvent("event " + id + " has data that is not JSON: " + data);
        }
    }

    private void failOnParseError() {
        if (parseError != null) {
            throw new AssertionError("the event stream sent a malformed event: " + parseError);
        }
    }

    public List<Event> events() {
        failOnParseError();
        return List.copyOf(events);
    }

    public List<Long> ids() {
        failOnParseError();
        return events.stream().map(Event::id).toList();
    }

    public List<String> comments() {
        return List.copyOf(comments);
    }

    /**
     * Whether the server ended the stream; throws when the stream ended on an event it
     * could not read.
     */
    public boolean ended() {
        failOnParseError();
        return ended;
    }

    /**
     * What broke the connection, when it did not end cleanly and was not closed from this
     * side; else null.
     */
    public Throwable readError() {
        return readError;
    }

    public int status() {
        return status;
    }

    @Override
    public void close() {
        closedByUs = true;
        response.cancel(true);
        response.thenAccept(answer -> answer.body().close());
    }

    private static final class MalformedEvent extends RuntimeException {

        MalformedEvent(String message) {
            super(message);
        }

    }

}
