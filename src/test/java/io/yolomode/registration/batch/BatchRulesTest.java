package io.yolomode.registration.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.TestDownstream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rules of a batch that a caller meets: create is all or nothing (duplicates, an
 * override for a restaurant not in the list, a menu that is not the restaurant's, more
 * than 1,000 restaurants), and progress counts ended jobs as a floored percentage with
 * the phases of the running ones.
 */
class BatchRulesTest extends CallerTestSupport {

    private static final String BATCHES = "/api/registration-batches";

    @Test
    void aBatchThatBreaksARuleIsA400NamingTheRestaurantsAndWritesNothing() {
        UUID first = data.restaurant(organisation, "First");
        UUID second = data.restaurant(organisation, "Second");
        UUID notListed = data.restaurant(organisation, "Not Listed");
        UUID firstMenu = data.menu(first, "First menu");
        UUID secondMenu = data.menu(second, "Second menu");

        assertInvalid(create(List.of(first, second, first, second, second), Map.of(), Map.of()), "more than once",
                first, second);
        assertInvalid(create(List.of(first, second), Map.of(), Map.of(notListed, Map.of())), "not in restaurantIds",
                notListed);
        assertInvalid(create(List.of(first, second), menu(firstMenu), Map.of()), "not a menu", second);
        assertInvalid(create(List.of(first, second), Map.of(), Map.of(second, menu(firstMenu))), "not a menu", second);
        List<UUID> thousand = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            thousand.add(UUID.randomUUID());
        }
        ApiClient.Response atTheLimit = create(thousand, Map.of(), Map.of());
        assertThat(atTheLimit.status()).isEqualTo(400);
        assertThat(atTheLimit.json().get("invalidRestaurantIds")).as("1,000 is allowed: each is checked").hasSize(1000);
        thousand.add(first);
        ApiClient.Response overTheLimit = create(thousand, Map.of(), Map.of());
        assertThat(overTheLimit.status()).isEqualTo(400);
        assertThat(overTheLimit.json().get("error").asString()).contains("restaurantIds").contains("1000");
        assertThat(batchRows()).isZero();
        assertThat(jobRows()).isZero();

        // The override puts the second restaurant on its own menu: now the batch fits
        // every restaurant.
        ApiClient.Response fits = create(List.of(first, second), menu(firstMenu), Map.of(second, menu(secondMenu)));
        assertThat(fits.status()).as(fits.toString()).isEqualTo(201);
        assertThat(batchRows()).isEqualTo(1);
        assertThat(jobRows()).isEqualTo(2);
        assertThat(jdbc.sql("""
                select execution_config -> 'menu' ->> 'selectedMenuId' from registration_jobs
                where organisation_id = ? order by restaurant_id = ? desc""")
            .params(organisation, first)
            .query(String.class)
            .list()).containsExactly(firstMenu.toString(), secondMenu.toString());
        String batchId = fits.json().get("batch_job").get("id").asString();
        assertThat(api.postJson(BATCHES + "/" + batchId + "/cancel", token, Map.of()).status()).isEqualTo(202);
    }

    @Test
    void progressFloorsTheEndedShareAndCountsThePhasesOfRunningJobs() {
        UUID quick = data.restaurant(organisation, "Quick");
        UUID heldOne = data.restaurant(organisation, "Held One");
        UUID heldTwo = data.restaurant(organisation, "Held Two");
        for (UUID held : List.of(heldOne, heldTwo)) {
            // a 503 asking to come back in a minute holds the job in phase 1
            TestDownstream.stub(TestDownstream.callOf(held, "/api/registration/register-account")
                .willReturn(TestDownstream.status(503, "{\"message\": \"later\"}").withHeader("Retry-After", "60")));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Thirds");
        body.put("restaurantIds", List.of(quick.toString(), heldOne.toString(), heldTwo.toString()));
        body.put("executionConfig", Map.of());
        body.put("autoStart", true);
        ApiClient.Response created = api.postJson(BATCHES, token, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UUID batchId = UUID.fromString(created.json().get("batch_job").get("id").asString());
        Map<UUID, UUID> jobOf = new LinkedHashMap<>();
        created.json()
            .get("registration_jobs")
            .forEach(job -> jobOf.put(UUID.fromString(job.get("restaurant_id").asString()),
                    UUID.fromString(job.get("job_id").asString())));

        try {
            JsonNode oneThird = await().atMost(Duration.ofSeconds(30))
                .until(() -> progress(batchId),
                        progress -> progress.get("restaurants_summary").get("completed").asInt() == 1
                                && progress.get("current_phase_counts").path("phase1").asInt() == 2);
            assertThat(oneThird.get("progress_percent").asInt()).isEqualTo(33);
            assertThat(oneThird.get("current_phase_counts").propertyNames()).containsExactly("phase1");
            assertSummary(oneThird, 3, 1, 0, 0, 2, 0);

            ApiClient.Response cancel = api.postJson("/api/registration/jobs/" + jobOf.get(heldOne) + "/cancel", token,
                    Map.of());
            assertThat(cancel.status()).as(cancel.toString()).isEqualTo(202);
            JsonNode twoThirds = await().atMost(Duration.ofSeconds(30))
                .until(() -> progress(batchId),
                        progress -> progress.get("restaurants_summary").get("cancelled").asInt() == 1);
            assertThat(twoThirds.get("progress_percent").asInt()).as("2 of 3 ended: 66.7 floored").isEqualTo(66);
            assertThat(twoThirds.get("current_phase_counts").propertyNames()).containsExactly("phase1");
            assertThat(twoThirds.get("current_phase_counts").get("phase1").asInt()).isEqualTo(1);
            assertSummary(twoThirds, 3, 1, 0, 1, 1, 0);
            assertThat(twoThirds.get("status").asString()).isEqualTo("in_progress");
        }
        finally {
            api.postJson(BATCHES + "/" + batchId + "/cancel", token, Map.of());
        }
        JsonNode ended = await().atMost(Duration.ofSeconds(30))
            .until(() -> progress(batchId), progress -> "cancelled".equals(progress.get("status").asString()));
        assertThat(ended.get("progress_percent").asInt()).isEqualTo(100);
        assertThat(ended.get("current_phase_counts").isEmpty()).isTrue();
        assertSummary(ended, 3, 1, 0, 2, 0, 0);
    }

    private JsonNode progress(UUID batchId) {
        ApiClient.Response response = api.get(BATCHES + "/" + batchId + "/progress", token);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static void assertSummary(JsonNode progress, int total, int completed, int failed, int cancelled,
            int inProgress, int pending) {
        JsonNode summary = progress.get("restaurants_summary");
        assertThat(List.of(summary.get("total").asInt(), summary.get("completed").asInt(),
                summary.get("failed").asInt(), summary.get("cancelled").asInt(), summary.get("in_progress").asInt(),
                summary.get("pending").asInt()))
            .as(summary.toString())
            .containsExactly(total, completed, failed, cancelled, inProgress, pending);
    }

    private ApiClient.Response create(List<UUID> restaurants, Map<String, Object> form,
            Map<UUID, Map<String, Object>> overrides) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Rules");
        body.put("restaurantIds", restaurants.stream().map(UUID::toString).toList());
        body.put("executionConfig", form);
        Map<String, Object> byId = new LinkedHashMap<>();
        overrides.forEach((id, override) -> byId.put(id.toString(), override));
        body.put("overrides", byId);
        return api.postJson(BATCHES, token, body);
    }

    private static Map<String, Object> menu(UUID menuId) {
        return Map.of("menu", Map.of("selectedMenuId", menuId.toString()));
    }

    private static void assertInvalid(ApiClient.Response response, String message, UUID... invalid) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("success").asBoolean()).isFalse();
        assertThat(response.json().get("error").asString()).contains(message);
        assertThat(response.json().get("invalidRestaurantIds")).extracting(JsonNode::asString)
            .containsExactly(java.util.Arrays.stream(invalid).map(UUID::toString).toArray(String[]::new));
    }

    private long batchRows() {
        return jdbc.sql("select count(*) from registration_batch_jobs where organisation_id = ?")
            .param(organisation)
            .query(Long.class)
            .single();
    }

    private long jobRows() {
        return jdbc.sql("select count(*) from registration_jobs where organisation_id = ?")
            .param(organisation)
            .query(Long.class)
            .single();
    }

}
