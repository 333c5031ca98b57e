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
 * A Server-Sent Events client as a browser's EventSource is one: it reads the stream line by line, collects
 * every event with the time it arrived, and notes when the server ended the stream.
 */
public final class SseClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<Event> events = new CopyOnWriteArrayList<>();

    private final List<String> comments = new CopyOnWriteArrayList<>();

    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    private volatile boolean ended;

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
                        events.add(new Event(id[0] == null ? -1 : Long.parseLong(id[0]), name[0],
                                JSON.readTree(String.join("\n", data)), System.currentTimeMillis()));
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
            });
        }
        catch (RuntimeException closedByUs) {
            // the stream was cancelled from this side
        }
        ended = true;
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public List<Long> ids() {
        return events.stream().map(Event::id).toList();
    }

    public List<String> comments() {
        return List.copyOf(comments);
    }

    /** Whether the server ended the stream. */
    public boolean ended() {
        return ended;
    }

    public int status() {
        return status;
    }

    @Override
    public void close() {
        response.cancel(true);
        response.thenAccept(answer -> answer.body().close());
    }
}
