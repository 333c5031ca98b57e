package io.yolomode.registration.query;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both progress polls of a job that has not changed are answered from memory, 200 and 304
 * alike, without a statement; a change reaches them within the push latency; the
 * organisation is still checked on every poll; a restaurant's new job is seen even when
 * its earlier one had completed.
 */
class ProgressPollCacheTest extends CallerTestSupport {

    @Autowired
    JobQueries queries;

    UUID restaurant;

    UUID jobId;

    @BeforeEach
    void aJobThatWaitsForItsTime() {
        restaurant = data.restaurant(organisation, "Polled Often");
        ApiClient.Response accepted = api.postJson("/api/registration/execute-single-restaurant", token,
                Map.of("restaurantId", restaurant.toString(), "formData", Map.of(), "scheduledAt",
                        Instant.now().plusSeconds(3600).toString()));
        assertThat(accepted.status()).isEqualTo(202);
        jobId = UUID.fromString(accepted.json().get("jobId").asString());
    }

    @Test
    void pollsOfAnUnchangedJobRunNoStatement() {
        long missed = queries.statements();
        ApiClient.Response first = api.get(restaurantPath(), token);
        assertThat(queries.statements()).as("the first poll reads the database").isGreaterThan(missed);
        String etag = first.header("ETag");
        awaitAnsweredFromMemory();
        long before = queries.statements();

        for (int i = 0; i < 10; i++) {
            ApiClient.Response byRestaurant = api.get(restaurantPath(), token);
            ApiClient.Response byId = api.get(jobPath(), token);
            assertThat(byRestaurant.status()).isEqualTo(200);
            assertThat(byRestaurant.body()).as("the same JSON as read from the database").isEqualTo(first.body());
            assertThat(byRestaurant.header("ETag")).isEqualTo(etag);
            assertThat(byRestaurant.header("Content-Type")).isEqualTo(first.header("Content-Type"));
            assertThat(byId.status()).isEqualTo(200);
            assertThat(byId.body()).isEqualTo(first.body());
            assertThat(api.get(restaurantPath(), token, Map.of("If-None-Match", etag)).status()).isEqualTo(304);
            assertThat(api.get(jobPath(), token, Map.of("If-None-Match", etag)).status()).isEqualTo(304);
        }

        assertThat(queries.statements()).as("statements run by 40 polls").isEqualTo(before);
    }

    @Test
    void aChangeIsSeenWithinThePushLatency() {
        awaitAnsweredFromMemory();
        String before = api.get(jobPath(), token).header("ETag");

        long written = appendHistoryEntry();
        long at = System.nanoTime();

        await().atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> api.get(jobPath(), token).json().get("version").asLong() == written);
        System.out
            .println("poll cache: a change was seen " + (System.nanoTime() - at) / 1_000_000 + " ms after its commit");
        assertThat(api.get(restaurantPath(), token).json().get("version").asLong()).isEqualTo(written);
        assertThat(api.get(jobPath(), token, Map.of("If-None-Match", before)).status()).isEqualTo(200);
    }

    @Test
    void anotherOrganisationGetsWhatItGotWithoutTheCache() {
        awaitAnsweredFromMemory();
        String etag = api.get(jobPath(), token).header("ETag");
        String stranger = TestTokens.forOrganisation(data.organisation());

        assertThat(api.get(jobPath(), stranger).status()).isEqualTo(404);
        assertThat(api.get(jobPath(), stranger, Map.of("If-None-Match", etag)).status()).isEqualTo(404);
        ApiClient.Response byRestaurant = api.get(restaurantPath(), stranger, Map.of("If-None-Match", etag));
        assertThat(byRestaurant.status()).isEqualTo(404);
        assertThat(byRestaurant.json().get("error").asString())
            .isEqualTo("Restaurant " + restaurant + " was not found");
    }

    @Test
    void aRestaurantsNewJobIsSeenAfterItsEarlierOneCompleted() {
        jdbc.sql("""
                update registration_jobs set status = 'completed', completed_at = now(), version = version + 1
                where id = ?""").param(jobId).update();
        jdbc.sql("""
                insert into registration_job_events (registration_job_id, sequence, type, status)
                select id, version, 'job_finished', 'completed' from registration_jobs where id = ?""")
            .param(jobId)
            .update();
        await().atMost(Duration.ofSeconds(5))
            .until(() -> "completed".equals(api.get(restaurantPath(), token).json().get("status").asString()));
        awaitAnsweredFromMemory();

        UUID next = jobs.start(restaurant, Map.of());

        assertThat(next).isNotEqualTo(jobId);
        await().atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> api.get(restaurantPath(), token).json().get("jobId").asString().equals(next.toString()));
    }

    /**
     * Polls until one is answered without a statement (the job's creation may still be on
     * its way).
     */
    private void awaitAnsweredFromMemory() {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            long before = queries.statements();
            assertThat(api.get(restaurantPath(), token).status()).isEqualTo(200);
            assertThat(api.get(jobPath(), token).status()).isEqualTo(200);
            return queries.statements() == before;
        });
    }

    /**
     * One history entry as a run writes it: version + 1 and an entry with that sequence,
     * in one commit.
     */
    private long appendHistoryEntry() {
        return jdbc.sql("""
                with bumped as (update registration_jobs set version = version + 1, updated_at = now() where id = ?
                                returning id, version)
                insert into registration_job_events (registration_job_id, sequence, type, sub_step, status, attempt)
                select id, version, 'sub_step', 'codeGeneration', 'retrying', 1 from bumped
                returning sequence""").param(jobId).query(Long.class).single();
    }

    private String restaurantPath() {
        return "/api/registration/single-restaurant-progress/" + restaurant;
    }

    private String jobPath() {
        return "/api/registration/jobs/" + jobId;
    }

}
