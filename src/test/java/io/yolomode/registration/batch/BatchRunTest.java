package io.yolomode.registration.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.ServiceInstance;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestDatabase;
import io.yolomode.registration.testsupport.TestDownstream;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Batches on the real runner: the per-batch cap, honest counters under parallel completion, a cancel that stops
 * running work, and single-restaurant jobs that neither touch batches nor wait behind them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchRunTest {

    private static final String BATCHES = "/api/registration-batches";

    TestDatabase.Coordinates database;

    ServiceInstance instance;

    JdbcClient jdbc;

    TestData data;

    UUID organisation;

    String token;

    ApiClient api;

    @BeforeAll
    void startInstance() {
        TestDownstream.reset();
        database = TestDatabase.freshDatabase();
        instance = ServiceInstance.start(database, Map.of(
                "registration.runner.max-concurrent-jobs-per-batch", "3",
                "registration.runner.max-concurrent-jobs", "8",
                "registration.runner.poll-interval", "1s"));
        jdbc = database.jdbcClient();
        data = new TestData(jdbc);
        api = instance.api();
    }

    @AfterAll
    void stopInstance() {
        instance.close();
    }

    @BeforeEach
    void setUp() {
        TestDownstream.reset();
        TestDownstream.stub(post(urlPathEqualTo("/api/registration/configure-services")).atPriority(8)
                .willReturn(TestDownstream.okJson("{\"success\": true}").withFixedDelay(150)));
        organisation = data.organisation();
        token = TestTokens.forOrganisation(organisation);
    }

    @Test
    void twelveRestaurantsWithCapThreeAllCompleteNeverMoreThanThreeAtOnce() {
        List<UUID> restaurants = restaurants(12, "Capped");
        JsonNode created = create("Twelve", restaurants, true, Map.of());
        UUID batchId = UUID.fromString(created.get("batch_job").get("id").asString());
        assertThat(created.get("registration_jobs")).hasSize(12);

        int[] most = { 0 };
        JsonNode done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    long running = jdbc.sql("""
                            select count(*) from registration_jobs where batch_job_id = ? and status = 'in_progress'""")
                            .param(batchId).query(Long.class).single();
                    most[0] = Math.max(most[0], (int) running);
                    return api.get(BATCHES + "/" + batchId + "/progress", token).json();
                }, progress -> List.of("completed", "failed", "cancelled").contains(progress.get("status").asString()));

        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(done.get("progress_percent").asInt()).isEqualTo(100);
        JsonNode batch = api.get(BATCHES + "/" + batchId, token).json().get("batch_job");
        assertThat(batch.get("completed_restaurants").asInt()).isEqualTo(12);
        assertThat(batch.get("failed_restaurants").asInt()).isZero();
        assertThat(batch.get("completed_at").isString()).isTrue();
        System.out.println("batch of 12 with cap 3: at most " + most[0] + " running at once");
        assertThat(most[0]).isEqualTo(3);
    }

    @Test
    void countersAndProgressAddUpWhileTwoOfFiveFail() {
        List<UUID> restaurants = restaurants(5, "Mixed");
        for (UUID failing : restaurants.subList(0, 2)) {
            TestDownstream.stub(TestDownstream.callOf(failing, "/api/registration/register-account")
                    .willReturn(TestDownstream.status(400, "{\"message\": \"email taken\"}")));
        }
        UUID batchId = UUID.fromString(create("Five", restaurants, true, Map.of()).get("batch_job").get("id")
                .asString());

        List<JsonNode> polls = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode progress = api.get(BATCHES + "/" + batchId + "/progress", token).json();
            polls.add(progress);
            return List.of("completed", "failed", "cancelled").contains(progress.get("status").asString());
        });

        assertThat(polls).allSatisfy(progress -> {
            JsonNode summary = progress.get("restaurants_summary");
            assertThat(summary.get("total").asInt()).isEqualTo(5);
            assertThat(summary.get("completed").asInt() + summary.get("failed").asInt()
                    + summary.get("cancelled").asInt() + summary.get("in_progress").asInt()
                    + summary.get("pending").asInt()).isEqualTo(5);
        });
        JsonNode last = polls.get(polls.size() - 1);
        assertThat(last.get("status").asString()).isEqualTo("failed");
        assertThat(last.get("restaurants_summary").get("completed").asInt()).isEqualTo(3);
        assertThat(last.get("restaurants_summary").get("failed").asInt()).isEqualTo(2);
        JsonNode batch = api.get(BATCHES + "/" + batchId, token).json();
        assertThat(batch.get("batch_job").get("completed_restaurants").asInt()).isEqualTo(3);
        assertThat(batch.get("batch_job").get("failed_restaurants").asInt()).isEqualTo(2);
        assertThat(batch.get("registration_jobs")).filteredOn(job -> "failed".equals(job.get("status").asString()))
                .allSatisfy(job -> assertThat(job.get("error").asString()).contains("email taken"));
    }

    @Test
    void cancellingABatchStopsItsRunningJobsAndNothingFurtherIsCalled() {
        List<UUID> restaurants = restaurants(6, "Cancelled");
        restaurants.forEach(restaurant -> TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 15000));
        UUID batchId = UUID.fromString(create("Stop me", restaurants, true, Map.of()).get("batch_job").get("id")
                .asString());
        await().until(() -> api.get(BATCHES + "/" + batchId + "/progress", token).json()
                .get("restaurants_summary").get("in_progress").asInt() == 3
                && TestDownstream.server().findAll(com.github.tomakehurst.wiremock.client.WireMock
                        .postRequestedFor(urlPathEqualTo("/api/registration/configure-payment"))).size() >= 3);

        Instant asked = Instant.now();
        ApiClient.Response cancel = api.postJson(BATCHES + "/" + batchId + "/cancel", token, Map.of());

        assertThat(cancel.status()).isEqualTo(202);
        JsonNode ended = await().atMost(Duration.ofSeconds(2)).until(
                () -> api.get(BATCHES + "/" + batchId + "/progress", token).json(),
                progress -> "cancelled".equals(progress.get("status").asString()));
        System.out.println("batch cancel: all jobs ended " + Duration.between(asked, Instant.now()).toMillis()
                + " ms after the request");
        assertThat(ended.get("restaurants_summary").get("cancelled").asInt()).isEqualTo(6);
        long callsAtEnd = TestDownstream.server().getAllServeEvents().size();
        await().during(Duration.ofSeconds(1)).until(() -> TestDownstream.server().getAllServeEvents().size()
                == callsAtEnd);
        assertThat(api.postJson(BATCHES + "/" + batchId + "/cancel", token, Map.of()).status()).isEqualTo(409);
        assertThat(jdbc.sql("select count(*) from registration_jobs where batch_job_id = ? and lease_owner is not null")
                .param(batchId).query(Long.class).single()).isZero();
    }

    @Test
    void aSingleJobAndABatchJobForOneRestaurantRunSideBySideWithoutTouchingEachOther() {
        UUID shared = data.restaurant(organisation, "Both Ways");
        UUID batchId = UUID.fromString(create("With a single", List.of(shared), true, Map.of()).get("batch_job")
                .get("id").asString());
        SingleJobs single = new SingleJobs(api, token);
        UUID singleJob = single.start(shared, Map.of());

        JsonNode batchEnd = awaitBatchEnd(batchId);
        JsonNode singleEnd = single.awaitEnd(singleJob);

        assertThat(batchEnd.get("restaurants_summary").get("total").asInt()).isEqualTo(1);
        assertThat(batchEnd.get("restaurants_summary").get("completed").asInt()).isEqualTo(1);
        assertThat(singleEnd.get("status").asString()).isEqualTo("completed");
        assertThat(singleEnd.has("batchJobId")).isFalse();
        assertThat(single.progress(shared).get("jobId").asString()).isEqualTo(singleJob.toString());
        assertThat(api.get(BATCHES + "/" + batchId, token).json().get("registration_jobs").get(0).get("job_id")
                .asString()).isNotEqualTo(singleJob.toString());
    }

    @Test
    void aDialogsSingleJobStartsWithinAPollIntervalWhileAFiftyJobBatchIsQueued() {
        List<UUID> restaurants = restaurants(50, "Queued");
        restaurants.forEach(restaurant -> TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 3000));
        UUID batchId = UUID.fromString(create("Fifty", restaurants, true, Map.of()).get("batch_job").get("id")
                .asString());
        await().until(() -> api.get(BATCHES + "/" + batchId + "/progress", token).json()
                .get("restaurants_summary").get("in_progress").asInt() == 3);

        UUID dialog = data.restaurant(organisation, "Impatient Dialog");
        Instant asked = Instant.now();
        UUID jobId = new SingleJobs(api, token).start(dialog, Map.of());
        Instant started = await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.sql("""
                select occurred_at from registration_job_events where registration_job_id = ? and type = 'job_started'""")
                .param(jobId).query(Instant.class).optional().orElse(null), java.util.Objects::nonNull);

        System.out.println("single job behind a 50-job batch started " + Duration.between(asked, started).toMillis()
                + " ms after execute");
        assertThat(Duration.between(asked, started)).isLessThan(Duration.ofSeconds(1));
        api.postJson(BATCHES + "/" + batchId + "/cancel", token, Map.of());
        awaitBatchEnd(batchId);
    }

    @Test
    void aBatchWithOneForeignRestaurantIsRejectedWholeAndWritesNothing() {
        List<UUID> restaurants = new ArrayList<>(restaurants(2, "Valid"));
        UUID foreign = data.restaurant(data.organisation(), "Foreign");
        restaurants.add(foreign);

        ApiClient.Response response = api.postJson(BATCHES, token, body("Bad", restaurants, true, Map.of()));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("success").asBoolean()).isFalse();
        assertThat(response.json().get("error").asString()).contains(foreign.toString());
        assertThat(response.json().get("invalidRestaurantIds").get(0).asString()).isEqualTo(foreign.toString());
        assertThat(jdbc.sql("select count(*) from registration_batch_jobs where organisation_id = ?")
                .param(organisation).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from registration_jobs where organisation_id = ?")
                .param(organisation).query(Long.class).single()).isZero();
        assertThat(api.postJson(BATCHES, token, Map.of("name", "No restaurants", "restaurantIds", List.of(),
                "executionConfig", Map.of())).status()).isEqualTo(400);
    }

    @Test
    void aDraftBatchWaitsForStartAndStartsOnlyOnce() {
        List<UUID> restaurants = restaurants(2, "Draft");
        JsonNode created = create("Later", restaurants, false, Map.of(restaurants.get(0).toString(),
                Map.of("account", Map.of("registerNewUser", false))));
        UUID batchId = UUID.fromString(created.get("batch_job").get("id").asString());
        assertThat(created.get("batch_job").get("status").asString()).isEqualTo("draft");
        await().during(Duration.ofMillis(1500)).until(() -> TestDownstream.server().getAllServeEvents().isEmpty());

        assertThat(api.postJson(BATCHES + "/" + batchId + "/start", token, Map.of()).status()).isEqualTo(200);
        assertThat(api.postJson(BATCHES + "/" + batchId + "/start", token, Map.of()).status()).isEqualTo(409);
        assertThat(awaitBatchEnd(batchId).get("status").asString()).isEqualTo("completed");
        UUID overridden = UUID.fromString(api.get(BATCHES + "/" + batchId, token).json().get("registration_jobs")
                .findValues("job_id").stream()
                .map(JsonNode::asString)
                .filter(id -> jdbc.sql("select restaurant_id from registration_jobs where id = ?::uuid").param(id)
                        .query(UUID.class).single().equals(restaurants.get(0)))
                .findFirst().orElseThrow());
        assertThat(TestDownstream.callsOf(overridden, "cloudwaitressAccount")).isEmpty();

        JsonNode listing = api.get(BATCHES + "?status=completed", token).json();
        assertThat(listing.get("content")).extracting(batch -> batch.get("id").asString())
                .contains(batchId.toString());
        String intruder = TestTokens.forOrganisation(data.organisation());
        assertThat(api.get(BATCHES + "/" + batchId, intruder).status()).isEqualTo(404);
        assertThat(api.get(BATCHES + "/" + batchId + "/progress", intruder).status()).isEqualTo(404);
        assertThat(api.postJson(BATCHES + "/" + batchId + "/cancel", intruder, Map.of()).status()).isEqualTo(404);
    }

    private List<UUID> restaurants(int count, String prefix) {
        List<UUID> restaurants = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            restaurants.add(data.restaurant(organisation, prefix + " " + i));
        }
        return restaurants;
    }

    private JsonNode create(String name, List<UUID> restaurants, boolean autoStart, Map<String, Object> overrides) {
        ApiClient.Response response = api.postJson(BATCHES, token, body(name, restaurants, autoStart, overrides));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.json().get("success").asBoolean()).isTrue();
        return response.json();
    }

    private static Map<String, Object> body(String name, List<UUID> restaurants, boolean autoStart,
            Map<String, Object> overrides) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("restaurantIds", restaurants.stream().map(UUID::toString).toList());
        body.put("executionConfig", Map.of());
        body.put("overrides", overrides);
        body.put("autoStart", autoStart);
        return body;
    }

    private JsonNode awaitBatchEnd(UUID batchId) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get(BATCHES + "/" + batchId + "/progress", token).json(),
                        progress -> List.of("completed", "failed", "cancelled")
                                .contains(progress.get("status").asString()));
    }
}
