package io.yolomode.registration.single;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scheduledAt} through the real API: the past means now, up to
 * {@code max-schedule-ahead} (365 days) is kept, anything further (up to dates no
 * {@code timestamptz} holds) is 400 and writes nothing.
 */
class ScheduleHorizonTest extends CallerTestSupport {

    UUID restaurant;

    @BeforeEach
    void setUp() {
        restaurant = data.restaurant(organisation, "Schedule Bistro");
    }

    @Test
    void aTimeInThePastMeansNowAndTheJobRuns() {
        Instant before = Instant.now().minusSeconds(5);
        ApiClient.Response response = execute("\"2001-01-01T00:00:00Z\"");

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        UUID jobId = UUID.fromString(response.json().get("jobId").asString());
        assertThat(scheduledAt(jobId)).isAfter(before);
        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("completed");
    }

    @Test
    void aTimeWithinTheHorizonIsKept() {
        Instant wanted = Instant.now().plus(Duration.ofDays(364)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        ApiClient.Response response = execute("\"" + wanted + "\"");

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        UUID jobId = UUID.fromString(response.json().get("jobId").asString());
        assertThat(scheduledAt(jobId)).isEqualTo(wanted);
        assertThat(api.postJson("/api/registration/jobs/" + jobId + "/cancel", token, "{}").status()).isEqualTo(202);
    }

    @Test
    void timesBeyondTheHorizonOrWhatTheDatabaseHoldsAreRefusedAndNothingIsWritten() {
        for (String far : new String[] { "\"" + Instant.now().plus(Duration.ofDays(366)) + "\"",
                "\"+999999-01-01T00:00:00Z\"", "\"+1000000000-12-31T23:59:59Z\"" }) {
            ApiClient.Response response = execute(far);

            assertThat(response.status()).as(far + " -> " + response).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.json().get("success").asBoolean()).isFalse();
            assertThat(response.json().get("error").asString()).contains("scheduledAt", "too far ahead");
        }
        assertThat(jdbc.sql("select count(*) from registration_jobs where restaurant_id = ?")
            .param(restaurant)
            .query(Long.class)
            .single()).isZero();
    }

    private ApiClient.Response execute(String scheduledAt) {
        return api.postJson("/api/registration/execute-single-restaurant", token,
                "{\"restaurantId\": \"" + restaurant + "\", \"formData\": {}, \"scheduledAt\": " + scheduledAt + "}");
    }

    private Instant scheduledAt(UUID jobId) {
        return jdbc.sql("select scheduled_at from registration_jobs where id = ?")
            .param(jobId)
            .query(OffsetDateTime.class)
            .single()
            .toInstant();
    }

}
