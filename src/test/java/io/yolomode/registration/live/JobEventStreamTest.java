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
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestDownstream;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The event stream of a job: every change in order, a clean end, and a reconnect that
 * neither loses nor repeats anything.
 */
class JobEventStreamTest extends CallerTestSupport {

    UUID restaurant;

    @BeforeEach
    void setUp() {
        restaurant = data.restaurant(organisation, "Streaming Steakhouse");
    }

    @Test
    void aClientReceivesEveryTransitionInOrderAndTheStreamClosesAfterCompletion() {
        UUID jobId = scheduleInASecond();
        try (SseClient stream = SseClient.connect(port, "/api/registration/jobs/" + jobId + "/events", token, null)) {
            await().atMost(Duration.ofSeconds(30)).until(stream::ended);

            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.ids()).isEqualTo(allSequences(jobId));
            assertThat(stream.events()).allSatisfy(event -> {
                assertThat(event.name()).isEqualTo("progress");
                assertThat(event.data().get("jobId").asString()).isEqualTo(jobId.toString());
                assertThat(event.data().get("phases").has("phase1")).isTrue();
                assertThat(event.data().get("event").get("sequence").asLong()).isEqualTo(event.id());
            });
            SseClient.Event first = stream.events().get(0);
            assertThat(first.data().get("event").get("type").asString()).isEqualTo("job_created");
            SseClient.Event last = stream.events().get(stream.events().size() - 1);
            assertThat(last.data().get("status").asString()).isEqualTo("completed");
            assertThat(last.data().get("event").get("type").asString()).isEqualTo("job_finished");
            List<String> transitions = stream.events()
                .stream()
                .filter(event -> "sub_step".equals(event.data().get("event").get("type").asString()))
                .map(event -> event.data().get("event").get("subStep").asString() + ":"
                        + event.data().get("event").get("status").asString())
                .toList();
            assertThat(transitions).contains("cloudwaitressAccount:in_progress", "cloudwaitressAccount:completed",
                    "itemTags:skipped");
            assertThat(transitions.indexOf("restaurantRegistration:completed"))
                .isLessThan(transitions.indexOf("websiteConfig:in_progress"));
        }
    }

    @Test
    void aReconnectWithLastEventIdGetsTheEventsOfTheGapInOrderAndEveryEventExactlyOnce() {
        TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 1500);
        UUID jobId = scheduleInASecond();
        List<Long> received = new ArrayList<>();
        try (SseClient first = SseClient.connect(port, "/api/registration/jobs/" + jobId + "/events", token, null)) {
            await().atMost(Duration.ofSeconds(30))
                .until(() -> first.events()
                    .stream()
                    .anyMatch(
                            event -> "paymentConfig".equals(event.data().get("event").path("subStep").asString(null))));
            received.addAll(first.ids());
        }
        long lastSeen = received.get(received.size() - 1);
        // While no stream is open the run goes on to its end: paymentConfig's completion
        // and the job's end are
        // in the gap, and only the replay can deliver them.
        await().atMost(Duration.ofSeconds(30)).until(() -> sequencesOf(jobId, "job_finished") > 0);
        List<Long> gap = allSequences(jobId).stream().filter(sequence -> sequence > lastSeen).toList();
        assertThat(gap).as("entries written while disconnected")
            .hasSizeGreaterThanOrEqualTo(2)
            .contains(sequenceOf(jobId, "paymentConfig:completed"), sequenceOf(jobId, "job_finished:completed"));
        try (SseClient second = SseClient.connect(port, "/api/registration/jobs/" + jobId + "/events", token,
                lastSeen)) {
            await().atMost(Duration.ofSeconds(30)).until(second::ended);
            assertThat(second.ids()).as("the gap first, in order").startsWith(gap.toArray(Long[]::new));
            assertThat(second.events().subList(0, gap.size()))
                .extracting(event -> event.data().get("event").get("sequence").asLong())
                .containsExactlyElementsOf(gap);
            received.addAll(second.ids());
        }

        assertThat(received).doesNotHaveDuplicates().isEqualTo(allSequences(jobId));
    }

    @Test
    void aNewStreamOfAFinishedJobSendsItsLastStateAndEnds() {
        UUID jobId = jobs.start(restaurant, Map.of());
        jobs.awaitEnd(jobId);

        try (SseClient stream = SseClient.connect(port, "/api/registration/jobs/" + jobId + "/events", token, null)) {
            await().until(stream::ended);
            assertThat(stream.events()).hasSize(1);
            assertThat(stream.events().get(0).data().get("status").asString()).isEqualTo("completed");
        }
    }

    @Test
    void anIdleStreamGetsHeartbeatsAndAcceptsTheTokenInTheQuery() {
        ApiClient.Response accepted = api.postJson("/api/registration/execute-single-restaurant", token,
                Map.of("restaurantId", restaurant.toString(), "formData", Map.of(), "scheduledAt",
                        Instant.now().plusSeconds(3600).toString()));
        UUID jobId = UUID.fromString(accepted.json().get("jobId").asString());

        try (SseClient stream = SseClient.connect(port,
                "/api/registration/jobs/" + jobId + "/events?access_token=" + token, null, null)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> stream.comments().size() >= 2);
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.events()).hasSize(1);
            assertThat(stream.comments()).allSatisfy(comment -> assertThat(comment).isEqualTo(":heartbeat"));
            assertThat(stream.ended()).isFalse();
        }
        assertThat(api.get("/api/registration/jobs/" + jobId + "?access_token=" + token, null).status())
            .as("the query token is for event streams only")
            .isEqualTo(401);
        api.postJson("/api/registration/jobs/" + jobId + "/cancel", token, Map.of());
    }

    @Test
    void anotherOrganisationsJobHasNoStream() {
        UUID jobId = jobs.start(restaurant, Map.of());
        String intruder = TestTokens.forOrganisation(new TestData(jdbc).organisation());

        ApiClient.Response response = api.get("/api/registration/jobs/" + jobId + "/events", intruder,
                Map.of("Accept", "text/event-stream"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(api.get("/api/registration/jobs/" + jobId + "/events", null).status()).isEqualTo(401);
        jobs.awaitEnd(jobId);
    }

    private UUID scheduleInASecond() {
        ApiClient.Response response = api.postJson("/api/registration/execute-single-restaurant", token,
                Map.of("restaurantId", restaurant.toString(), "formData", Map.of(), "scheduledAt",
                        Instant.now().plusSeconds(1).toString()));
        assertThat(response.status()).isEqualTo(202);
        return UUID.fromString(response.json().get("jobId").asString());
    }

    private long sequencesOf(UUID jobId, String type) {
        return jdbc.sql("select count(*) from registration_job_events where registration_job_id = ? and type = ?")
            .params(jobId, type)
            .query(Long.class)
            .single();
    }

    /** The sequence of the job's one entry {@code <sub-step or type>:<status>}. */
    private long sequenceOf(UUID jobId, String entry) {
        return jdbc.sql("""
                select sequence from registration_job_events
                where registration_job_id = ? and coalesce(sub_step, type) || ':' || coalesce(status, '') = ?""")
            .params(jobId, entry)
            .query(Long.class)
            .single();
    }

    private List<Long> allSequences(UUID jobId) {
        return jdbc.sql("select sequence from registration_job_events where registration_job_id = ? order by sequence")
            .param(jobId)
            .query(Long.class)
            .list();
    }

}
