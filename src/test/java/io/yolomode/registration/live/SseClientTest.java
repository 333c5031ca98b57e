package io.yolomode.registration.live;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;
import io.yolomode.registration.testsupport.SseClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The stream tests' client reads what a server sends as an EventSource would, and an
 * event it cannot read fails the test that reads it: it is never taken for a clean end of
 * the stream.
 */
class SseClientTest {

    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        serve("/clean",
                "id: 1\nevent: progress\ndata: {\"n\": 1}\n\n: heartbeat\n\nid: 2\ndata: {\"n\":\ndata: 2}\n\n");
        serve("/bad-json", "id: 1\ndata: {\"n\": 1}\n\nid: 2\nevent: progress\ndata: {\"n\": 2\n\n");
        serve("/bad-id", "id: two\ndata: {\"n\": 2}\n\n");
        serve("/bad-line", "id: 1\ndata: {\"n\": 1}\n\nnot a field\n\n");
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aWellFormedStreamEndsCleanlyWithEveryEvent() {
        try (SseClient client = connect("/clean")) {
            await().atMost(Duration.ofSeconds(10)).until(client::ended);

            assertThat(client.ids()).containsExactly(1L, 2L);
            assertThat(client.events().get(1).data().get("n").asInt()).isEqualTo(2);
            assertThat(client.comments()).containsExactly(": heartbeat");
            assertThat(client.readError()).isNull();
        }
    }

    @Test
    void dataThatIsNotJsonAnIdThatIsNotANumberOrALineThatIsNoFieldFailTheReader() {
        for (String path : new String[] { "/bad-json", "/bad-id", "/bad-line" }) {
            try (SseClient client = connect(path)) {
                assertThatThrownBy(() -> await().atMost(Duration.ofSeconds(10)).until(client::ended)).as(path)
                    .hasMessageContaining("malformed event");
                assertThatThrownBy(client::events).as(path).isInstanceOf(AssertionError.class);
                assertThatThrownBy(client::ids).as(path).isInstanceOf(AssertionError.class);
            }
        }
    }

    private SseClient connect(String path) {
        return SseClient.connect(server.getAddress().getPort(), path, null, null);
    }

    private void serve(String path, String body) {
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }

}
