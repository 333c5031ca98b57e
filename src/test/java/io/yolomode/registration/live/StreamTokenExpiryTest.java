package io.yolomode.registration.live;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.security.HmacTokens;
import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.SseClient;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream ends when the token it was opened with expires (not 30 minutes later); the
 * client reconnects with a fresh token and Last-Event-ID and misses nothing that happened
 * in between.
 */
class StreamTokenExpiryTest extends CallerTestSupport {

    @Test
    void aStreamEndsWhenItsTokenExpiresAndAReconnectWithAFreshTokenMissesNothing() {
        UUID restaurant = data.restaurant(organisation, "Short Lease Diner");
        ApiClient.Response accepted = api.postJson("/api/registration/execute-single-restaurant", token,
                Map.of("restaurantId", restaurant.toString(), "formData", Map.of(), "scheduledAt",
                        Instant.now().plusSeconds(3600).toString()));
        UUID jobId = UUID.fromString(accepted.json().get("jobId").asString());
        JobHistoryWriter history = new JobHistoryWriter(jdbc);
        String path = "/api/registration/jobs/" + jobId + "/events";

        Instant opened = Instant.now();
        String shortLived = new HmacTokens(TestTokens.SECRET).issue("user-" + organisation, organisation,
                Duration.ofSeconds(4), Map.of());
        List<Long> received = new ArrayList<>();
        try (SseClient first = SseClient.connect(port, path, shortLived, null)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> first.events().size() == 1);
            long sequence = history.append(jobId);
            await().atMost(Duration.ofSeconds(5)).until(() -> first.ids().contains(sequence));

            await().atMost(Duration.ofSeconds(15)).until(first::ended);
            // The token's exp has whole seconds: it expired 3 to 4 s after it was issued.
            assertThat(Duration.between(opened, Instant.now())).isGreaterThan(Duration.ofMillis(2500));
            assertThat(first.status()).isEqualTo(200);
            received.addAll(first.ids());
        }

        history.append(jobId);
        history.append(jobId);
        try (SseClient second = SseClient.connect(port, path, token, received.get(received.size() - 1))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> second.ids().size() == 2);
            api.postJson("/api/registration/jobs/" + jobId + "/cancel", token, Map.of());
            await().atMost(Duration.ofSeconds(10)).until(second::ended);
            received.addAll(second.ids());
        }
        assertThat(received).isEqualTo(history.sequences(jobId));
    }

}
