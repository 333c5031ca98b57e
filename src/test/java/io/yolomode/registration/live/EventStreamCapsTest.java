package io.yolomode.registration.live;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.yolomode.registration.security.HmacTokens;
import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.ServiceInstance;
import io.yolomode.registration.testsupport.SseClient;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestDatabase;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance serves at most {@code max-streams} event streams, a caller (organisation
 * and token subject) at most {@code max-streams-per-caller}; one more is a 429 problem
 * with Retry-After, and a closed stream makes room again. Here the limits are 3 per
 * instance and 2 per caller.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStreamCapsTest {

    private static final HmacTokens TOKENS = new HmacTokens(TestTokens.SECRET);

    ServiceInstance instance;

    ApiClient api;

    UUID organisation;

    UUID jobId;

    @BeforeAll
    void start() {
        TestDatabase.Coordinates database = TestDatabase.freshDatabase();
        instance = ServiceInstance.start(database,
                Map.of("registration.runner.enabled", "false", "registration.events.max-streams", "3",
                        "registration.events.max-streams-per-caller", "2", "registration.events.retry-after", "7s"));
        api = instance.api();
        TestData data = new TestData(database.jdbcClient());
        organisation = data.organisation();
        UUID restaurant = data.restaurant(organisation, "Crowded Canteen");
        ApiClient.Response accepted = api.postJson("/api/registration/execute-single-restaurant", token("alice"),
                Map.of("restaurantId", restaurant.toString(), "formData", Map.of(), "scheduledAt",
                        Instant.now().plusSeconds(3600).toString()));
        jobId = UUID.fromString(accepted.json().get("jobId").asString());
    }

    @AfterAll
    void stop() {
        instance.close();
    }

    @Test
    void overTheCallersOrTheInstancesLimitIsA429WithRetryAfterAndAClosedStreamMakesRoom() {
        JobChangeHub hub = instance.bean(JobChangeHub.class);
        long rejectedBefore = hub.rejectedCount();
        SseClient alice1 = open("alice");
        SseClient alice2 = open("alice");
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.clientCount() == 2);

        ApiClient.Response thirdOfAlice = attempt("alice");
        assertThat(thirdOfAlice.status()).isEqualTo(429);
        assertThat(thirdOfAlice.header("Content-Type")).startsWith("application/problem+json");
        assertThat(thirdOfAlice.header("Retry-After")).isEqualTo("7");
        JsonNode problem = thirdOfAlice.json();
        assertThat(problem.get("success").asBoolean()).isFalse();
        assertThat(problem.get("error").asString()).contains("2 event streams open", "one caller");

        SseClient bob = open("bob");
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.clientCount() == 3);
        ApiClient.Response carol = attempt("carol");
        assertThat(carol.status()).isEqualTo(429);
        assertThat(carol.header("Retry-After")).isEqualTo("7");
        assertThat(carol.json().get("error").asString()).contains("This instance has 3 event streams open");
        assertThat(hub.rejectedCount()).isEqualTo(rejectedBefore + 2);
        assertThat(alice1.ended()).isFalse();
        assertThat(bob.ended()).isFalse();

        alice2.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.clientCount() == 2);
        try (SseClient againAlice = open("alice")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> againAlice.events().size() == 1);
            assertThat(againAlice.status()).isEqualTo(200);
            assertThat(hub.clientCount()).isEqualTo(3);
        }
        finally {
            alice1.close();
            bob.close();
        }
    }

    private SseClient open(String subject) {
        SseClient stream = SseClient.connect(instance.port(), "/api/registration/jobs/" + jobId + "/events",
                token(subject), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().size() == 1);
        return stream;
    }

    /**
     * A stream request whose answer is expected to be a refusal, read as a whole; a
     * stream opened instead never ends, so the answer is waited for a bounded time.
     */
    private ApiClient.Response attempt(String subject) {
        HttpRequest request = HttpRequest
            .newBuilder(
                    URI.create("http://localhost:" + instance.port() + "/api/registration/jobs/" + jobId + "/events"))
            .header("Accept", "text/event-stream")
            .header("Authorization", "Bearer " + token(subject))
            .GET()
            .build();
        CompletableFuture<HttpResponse<String>> answer = HttpClient.newHttpClient()
            .sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            HttpResponse<String> response = answer.get(20, TimeUnit.SECONDS);
            return new ApiClient.Response(response.statusCode(), response.body(), response.headers().map());
        }
        catch (TimeoutException ex) {
            answer.cancel(true);
            throw new AssertionError("the stream was opened instead of refused", ex);
        }
        catch (InterruptedException | ExecutionException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private String token(String subject) {
        return TOKENS.issue(subject, organisation, Duration.ofHours(1), Map.of());
    }

}
