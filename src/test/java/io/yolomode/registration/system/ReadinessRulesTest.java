package io.yolomode.registration.system;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;

import io.yolomode.registration.runner.RunnerProperties;
import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness is the runner's own state, never the database's indicator or the queue: the
 * readiness group holds {@code readinessState} and {@code runner} only, UP while claim
 * passes work and leases are renewed; the time it allows without a working pass is
 * {@code unready-after}, but never less than three of the longer of {@code poll-interval}
 * and {@code backlog-refresh-interval}, so that slow polling cannot make it flap. (The
 * database going away turning it DOWN is a fault test of the runner; an API-only
 * instance's readiness is shown by {@code IssuerCheckTest}.)
 */
class ReadinessRulesTest extends CallerTestSupport {

    @Test
    void theAllowanceIsUnreadyAfterButNeverLessThanThreeOfTheLongerInterval() {
        assertThat(allowance("15s", "1s", "5s")).isEqualTo(Duration.ofSeconds(15));
        assertThat(allowance("2s", "1s", "5s")).as("three backlog reads").isEqualTo(Duration.ofSeconds(15));
        assertThat(allowance("2s", "10s", "5s")).as("three polls").isEqualTo(Duration.ofSeconds(30));
        assertThat(allowance("60s", "10s", "5s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(allowance("15s", "5s", "5s")).isEqualTo(Duration.ofSeconds(15));
        assertThat(allowance("14s", "5s", "5s")).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void readinessIsTheRunnersOwnStateAndLeavesTheDatabaseToTheFullHealth() {
        String ops = TestTokens.withClaims(organisation, Duration.ofHours(1), Map.of("role", "ops"));

        ApiClient.Response readiness = api.get("/actuator/health/readiness", ops);

        assertThat(readiness.status()).as(readiness.toString()).isEqualTo(200);
        JsonNode body = readiness.json();
        assertThat(body.get("status").asString()).isEqualTo("UP");
        assertThat(new ArrayList<>(body.get("components").propertyNames())).containsExactlyInAnyOrder("readinessState",
                "runner");
        JsonNode runner = body.get("components").get("runner");
        assertThat(runner.get("status").asString()).isEqualTo("UP");
        assertThat(runner.get("details").get("claiming").asBoolean()).isTrue();
        assertThat(runner.get("details").get("renewing").asBoolean()).isTrue();
        assertThat(Instant.parse(runner.get("details").get("lastClaim").asString()))
            .isAfter(Instant.now().minus(Duration.ofSeconds(15)));
        JsonNode full = api.get("/actuator/health", ops).json();
        assertThat(full.get("components").get("db").get("status").asString()).isEqualTo("UP");
        assertThat(api.get("/actuator/health/readiness", null).json().has("components")).as("details need the ops role")
            .isFalse();
        assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
    }

    private static Duration allowance(String unreadyAfter, String pollInterval, String backlogRefresh) {
        RunnerProperties defaults = new RunnerProperties(true, "", 8, 5, 2, 48, Duration.parse("PT" + pollInterval),
                Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofSeconds(30), 5, Duration.ofMinutes(5), 3,
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.parse("PT" + unreadyAfter), Duration.parse("PT" + backlogRefresh));
        return defaults.readinessAllowance();
    }

}
