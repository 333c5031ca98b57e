package io.yolomode.registration.live;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.SseClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading (its socket full, the server's write to it stuck) delays
 * nobody: a well-behaved client of the same job gets every event, one of another job
 * keeps its heartbeats and events, and the stuck client is dropped after the write
 * timeout (2 s in tests), so it no longer counts against the limits.
 */
class SlowStreamClientTest extends CallerTestSupport {

    /**
     * Each event of the busy job carries about this much progress, so the stuck socket
     * fills fast.
     */
    private static final int EVENT_SIZE = 256 * 1024;

    private static final int EVENTS = 40;

    @Autowired
    JobChangeHub hub;

    @Test
    void aClientThatStopsReadingDelaysNoOtherClientAndIsDropped() {
        JobHistoryWriter history = new JobHistoryWriter(jdbc);
        UUID busyJob = pendingJobOf(data.restaurant(organisation, "Busy Bistro"));
        UUID quietJob = pendingJobOf(data.restaurant(organisation, "Quiet Cafe"));
        history.padProgress(busyJob, EVENT_SIZE);
        long droppedBefore = hub.droppedCount();

        try (SseClient sameJob = SseClient.connect(port, eventsOf(busyJob), token, null);
                SseClient otherJob = SseClient.connect(port, eventsOf(quietJob), token, null);
                NonReadingClient stuck = NonReadingClient.open(port, eventsOf(busyJob), token)) {
            await().atMost(Duration.ofSeconds(10))
                .until(() -> hub.clientCount(busyJob) == 2 && hub.clientCount(quietJob) == 1);

            List<Long> written = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                written.add(history.append(busyJob));
            }
            // About 10 MB for the stuck client: far beyond what the sockets between it
            // and the server buffer.
            long writtenAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() -> sameJob.ids().containsAll(written));
            assertThat(sameJob.ids()).isEqualTo(history.sequences(busyJob));

            // While the stuck client's write hangs (until it is dropped, and after), the
            // other job's client gets
            // its heartbeats every second and its events at once.
            int heartbeats = otherJob.comments().size();
            long quietSequence = history.append(quietJob);
            long quietAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(3)).until(() -> otherJob.ids().contains(quietSequence));
            long quietMillis = (System.nanoTime() - quietAt) / 1_000_000;
            await().atMost(Duration.ofSeconds(5)).until(() -> otherJob.comments().size() >= heartbeats + 3);

            await().atMost(Duration.ofSeconds(15)).until(() -> hub.droppedCount() > droppedBefore);
            System.out.println("slow stream client: dropped " + (System.nanoTime() - writtenAt) / 1_000_000
                    + " ms after its events were written; another job's client got its event in " + quietMillis
                    + " ms meanwhile");
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.clientCount(busyJob) == 1);
            assertThat(sameJob.ended()).isFalse();
            assertThat(otherJob.ended()).isFalse();

            // The well-behaved client still gets what comes next.
            long next = history.append(busyJob);
            await().atMost(Duration.ofSeconds(5)).until(() -> sameJob.ids().contains(next));
        }
        finally {
            api.postJson("/api/registration/jobs/" + busyJob + "/cancel", token, Map.of());
            api.postJson("/api/registration/jobs/" + quietJob + "/cancel", token, Map.of());
        }
    }

    private UUID pendingJobOf(UUID restaurant) {
        ApiClient.Response response = api.postJson("/api/registration/execute-single-restaurant", token,
                Map.of("restaurantId", restaurant.toString(), "formData", Map.of(), "scheduledAt",
                        Instant.now().plusSeconds(3600).toString()));
        assertThat(response.status()).isEqualTo(202);
        return UUID.fromString(response.json().get("jobId").asString());
    }

    private static String eventsOf(UUID jobId) {
        return "/api/registration/jobs/" + jobId + "/events";
    }

}
