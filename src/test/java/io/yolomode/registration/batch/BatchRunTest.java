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
 * Batches on the real runner: the per-batch cap (counting another instance's running jobs
 * too), the slots kept for single jobs and single jobs claimed before batch jobs, honest
 * counters under parallel completion, a cancel that stops running work, and
 * single-restaurant jobs that neither touch batches nor wait behind them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchRunTest {

    private static final String BATCHES = "/api/registration-batches";

    /**
     * Six slots, two of them kept for single jobs: batch jobs get four, more than one
     * batch's cap of three, so that both the cap and the reserve can be seen.
     */
    private static final Map<String, String> SETTINGS = Map.of("registration.runner.max-concurrent-jobs-per-batch", "3",
            "registration.runner.max-concurrent-jobs", "6", "registration.runner.reserved-for-single-jobs", "2",
            "registration.runner.poll-interval", "1s");

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
        instance = ServiceInstance.start(database, SETTINGS);
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
        JsonNode done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
            long running = jdbc.sql("""
                    select count(*) from registration_jobs where batch_job_id = ? and status = 'in_progress'""")
                .param(batchId)
                .query(Long.class)
                .single();
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
        UUID batchId = UUID
            .fromString(create("Five", restaurants, true, Map.of()).get("batch_job").get("id").asString());

        List<JsonNode> polls = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode progress = api.get(BATCHES + "/" + batchId + "/progress", token).json();
            polls.add(progress);
            return List.of("completed", "failed", "cancelled").contains(progress.get("status").asString());
        });

        assertThat(polls).allSatisfy(progress -> {
            JsonNode summary = progress.get("restaurants_summary");
            assertThat(summary.get("total").asInt()).isEqualTo(5);
            assertThat(
                    summary.get("completed").asInt() + summary.get("failed").asInt() + summary.get("cancelled").asInt()
                            + summary.get("in_progress").asInt() + summary.get("pending").asInt())
                .isEqualTo(5);
        });
        JsonNode last = polls.get(polls.size() - 1);
        assertThat(last.get("status").asString()).isEqualTo("failed");
        assertThat(last.get("restaurants_summary").get("completed").asInt()).isEqualTo(3);
        assertThat(last.get("restaurants_summary").get("failed").asInt()).isEqualTo(2);
        JsonNode batch = api.get(BATCHES + "/" + batchId, token).json();
        assertThat(batch.get("batch_job").get("completed_restaurants").asInt()).isEqualTo(3);
        assertThat(batch.get("batch_job").get("failed_restaurants").asInt()).isEqualTo(2);
        assertThat(batch.get("registration_jobs")).filteredOn(job -> "failed".equals(job.get("status").asString()))
            .hasSize(2)
            .allSatisfy(job -> assertThat(job.get("error").asString()).contains("email taken"));
    }

    @Test
    void cancellingABatchStopsItsRunningJobsAndNothingFurtherIsCalled() {
        List<UUID> restaurants = restaurants(6, "Cancelled");
        restaurants.forEach(
                restaurant -> TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 15000));
        // every sub-step wanted (each restaurant with its own menu), so that phases 3 and
        // 4 would be called
        Map<String, Object> fullForms = new LinkedHashMap<>();
        restaurants.forEach(
                restaurant -> fullForms.put(restaurant.toString(), SingleJobs.fullForm(data.menu(restaurant, "Menu"))));
        UUID batchId = UUID
            .fromString(create("Stop me", restaurants, true, fullForms).get("batch_job").get("id").asString());
        await().until(() -> api.get(BATCHES + "/" + batchId + "/progress", token)
            .json()
            .get("restaurants_summary")
            .get("in_progress")
            .asInt() == 3
                && TestDownstream.server()
                    .findAll(com.github.tomakehurst.wiremock.client.WireMock
                        .postRequestedFor(urlPathEqualTo("/api/registration/configure-payment")))
                    .size() >= 3);

        Instant asked = Instant.now();
        ApiClient.Response cancel = api.postJson(BATCHES + "/" + batchId + "/cancel", token, Map.of());

        assertThat(cancel.status()).isEqualTo(202);
        JsonNode ended = await().atMost(Duration.ofSeconds(2))
            .until(() -> api.get(BATCHES + "/" + batchId + "/progress", token).json(),
                    progress -> "cancelled".equals(progress.get("status").asString()));
        System.out.println("batch cancel: all jobs ended " + Duration.between(asked, Instant.now()).toMillis()
                + " ms after the request");
        assertThat(ended.get("restaurants_summary").get("cancelled").asInt()).isEqualTo(6);
        long callsAtEnd = TestDownstream.server().getAllServeEvents().size();
        await().during(Duration.ofSeconds(1))
            .until(() -> TestDownstream.server().getAllServeEvents().size() == callsAtEnd);
        List<UUID> jobIds = jdbc.sql("select id from registration_jobs where batch_job_id = ?")
            .param(batchId)
            .query(UUID.class)
            .list();
        assertThat(jobIds).hasSize(6);
        assertThat(jobIds).filteredOn(jobId -> TestDownstream.callsOf(jobId).isEmpty())
            .as("the jobs that had not started never will")
            .hasSize(3);
        assertThat(jobIds).allSatisfy(jobId -> {
            assertThat(TestDownstream.callsOf(jobId, "optionSets")).isEmpty();
            assertThat(TestDownstream.callsOf(jobId, "itemTags")).isEmpty();
        });
        assertThat(api.postJson(BATCHES + "/" + batchId + "/cancel", token, Map.of()).status()).isEqualTo(409);
        assertThat(jdbc.sql("select count(*) from registration_jobs where batch_job_id = ? and lease_owner is not null")
            .param(batchId)
            .query(Long.class)
            .single()).isZero();
    }

    @Test
    void aSingleJobAndABatchJobForOneRestaurantRunSideBySideWithoutTouchingEachOther() {
        UUID shared = data.restaurant(organisation, "Both Ways");
        UUID batchId = UUID
            .fromString(create("With a single", List.of(shared), true, Map.of()).get("batch_job").get("id").asString());
        SingleJobs single = new SingleJobs(api, token);
        UUID singleJob = single.start(shared, Map.of());

        JsonNode batchEnd = awaitBatchEnd(batchId);
        JsonNode singleEnd = single.awaitEnd(singleJob);

        assertThat(batchEnd.get("restaurants_summary").get("total").asInt()).isEqualTo(1);
        assertThat(batchEnd.get("restaurants_summary").get("completed").asInt()).isEqualTo(1);
        assertThat(singleEnd.get("status").asString()).isEqualTo("completed");
        assertThat(singleEnd.has("batchJobId")).isFalse();
        assertThat(single.progress(shared).get("jobId").asString()).isEqualTo(singleJob.toString());
        assertThat(
                api.get(BATCHES + "/" + batchId, token).json().get("registration_jobs").get(0).get("job_id").asString())
            .isNotEqualTo(singleJob.toString());
    }

    @Test
    void batchJobsNeverTakeTheReservedSlotsAndAWaitingSingleJobGoesBeforeQueuedBatchJobs() {
        List<UUID> first = restaurants(12, "First");
        List<UUID> second = restaurants(12, "Second");
        first.forEach(
                restaurant -> TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 1500));
        second.forEach(
                restaurant -> TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 1500));
        UUID firstBatch = UUID.fromString(create("First", first, true, Map.of()).get("batch_job").get("id").asString());
        UUID secondBatch = UUID
            .fromString(create("Second", second, true, Map.of()).get("batch_job").get("id").asString());

        List<UUID> singleJobs = new ArrayList<>();
        try {
            // two batches could run three each, but only four slots are not reserved
            List<Long> batchRunning = new ArrayList<>();
            // each sample opens a connection of its own: slow on a loaded machine, so a
            // few dozen at most
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
                batchRunning.add(runningOf(firstBatch, secondBatch));
                return batchRunning.size() >= 20 && batchRunning.contains(4L);
            });
            assertThat(batchRunning).contains(4L).allSatisfy(running -> assertThat(running).isLessThanOrEqualTo(4));

            // three dialogs: two take the reserved slots at once, the third must wait for
            // a slot to free
            List<UUID> dialogs = restaurants(3, "Dialog");
            dialogs.forEach(
                    restaurant -> TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 3000));
            SingleJobs single = new SingleJobs(api, token);
            dialogs.forEach(restaurant -> singleJobs.add(single.start(restaurant, Map.of())));
            Instant lastAsked = Instant.now();
            List<Instant> singleStarts = singleJobs.stream()
                .map(jobId -> await().atMost(Duration.ofSeconds(20))
                    .until(() -> startOf(jobId), java.util.Objects::nonNull))
                .toList();

            // the slot the third one got was freed by a batch job; no queued batch job
            // took one before it did
            Instant lastSingleStart = singleStarts.stream().max(Instant::compareTo).orElseThrow();
            assertThat(jdbc
                .sql("""
                        select count(*) from registration_job_events e join registration_jobs j on j.id = e.registration_job_id
                        where j.batch_job_id in (?, ?) and e.type = 'job_started' and e.occurred_at > ? and e.occurred_at < ?""")
                .params(firstBatch, secondBatch, java.sql.Timestamp.from(lastAsked),
                        java.sql.Timestamp.from(lastSingleStart))
                .query(Long.class)
                .single()).as("batch jobs started while a single job waited").isZero();
            // and the rule was put to the test: batch jobs were still queued then, and
            // start once slots free
            await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(jdbc
                    .sql("""
                            select count(*) from registration_job_events e join registration_jobs j on j.id = e.registration_job_id
                            where j.batch_job_id in (?, ?) and e.type = 'job_started' and e.occurred_at > ?""")
                    .params(firstBatch, secondBatch, java.sql.Timestamp.from(lastSingleStart))
                    .query(Long.class)
                    .single()).as("batch jobs were still queued when the single job started").isPositive());
        }
        finally {
            // whatever happened, leave nothing running for the next test
            api.postJson(BATCHES + "/" + firstBatch + "/cancel", token, Map.of());
            api.postJson(BATCHES + "/" + secondBatch + "/cancel", token, Map.of());
            awaitBatchEnd(firstBatch);
            awaitBatchEnd(secondBatch);
            singleJobs.forEach(new SingleJobs(api, token)::awaitEnd);
        }
    }

    /**
     * Another instance already runs two jobs of the batch (their rows leased to it, as
     * its claim leaves them): this instance counts them against the cap and takes one job
     * more, not three.
     */
    @Test
    void theBatchCapCountsJobsThatAnotherInstanceRuns() {
        List<UUID> restaurants = restaurants(6, "Shared");
        restaurants.forEach(
                restaurant -> TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 1500));
        UUID batchId = UUID
            .fromString(create("Across", restaurants, false, Map.of()).get("batch_job").get("id").asString());
        List<UUID> elsewhere = jdbc.sql("""
                update registration_jobs set status = 'in_progress', lease_owner = 'another-instance', attempt = 1,
                    lease_expires_at = now() + interval '1 minute', started_at = now()
                where id in (select id from registration_jobs where batch_job_id = ? order by id limit 2)
                returning id""").param(batchId).query(UUID.class).list();
        assertThat(elsewhere).hasSize(2);

        assertThat(api.postJson(BATCHES + "/" + batchId + "/start", token, Map.of()).status()).isEqualTo(200);

        String owner = instance.bean(io.yolomode.registration.runner.JobRunner.class).owner();
        await().atMost(Duration.ofSeconds(20))
            .until(() -> jdbc.sql("""
                    select count(*) from registration_jobs where batch_job_id = ? and lease_owner = ?""")
                .params(batchId, owner)
                .query(Long.class)
                .single() >= 1);
        assertThat(runningOf(batchId)).isEqualTo(3);
        await().during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> runningOf(batchId) <= 3);

        // the other instance hands its two back; this one runs the whole batch to the end
        jdbc.sql("""
                update registration_jobs set status = 'pending', lease_owner = null, lease_expires_at = null,
                    scheduled_at = now()
                where id = any(?)""").param(elsewhere.toArray(UUID[]::new)).update();
        assertThat(awaitBatchEnd(batchId).get("status").asString()).isEqualTo("completed");
    }

    private long runningOf(UUID... batchIds) {
        return jdbc.sql("""
                select count(*) from registration_jobs
                where batch_job_id = any(?) and status = 'in_progress' and lease_owner is not null""")
            .param(batchIds)
            .query(Long.class)
            .single();
    }

    private Instant startOf(UUID jobId) {
        return jdbc
            .sql("""
                    select occurred_at from registration_job_events where registration_job_id = ? and type = 'job_started'""")
            .param(jobId)
            .query(Instant.class)
            .optional()
            .orElse(null);
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
            .param(organisation)
            .query(Long.class)
            .single()).isZero();
        assertThat(jdbc.sql("select count(*) from registration_jobs where organisation_id = ?")
            .param(organisation)
            .query(Long.class)
            .single()).isZero();
        assertThat(api
            .postJson(BATCHES, token,
                    Map.of("name", "No restaurants", "restaurantIds", List.of(), "executionConfig", Map.of()))
            .status()).isEqualTo(400);
    }

    @Test
    void aDraftBatchWaitsForStartAndStartsOnlyOnce() {
        List<UUID> restaurants = restaurants(2, "Draft");
        JsonNode created = create("Later", restaurants, false,
                Map.of(restaurants.get(0).toString(), Map.of("account", Map.of("registerNewUser", false))));
        UUID batchId = UUID.fromString(created.get("batch_job").get("id").asString());
        assertThat(created.get("batch_job").get("status").asString()).isEqualTo("draft");
        await().during(Duration.ofMillis(1500)).until(() -> TestDownstream.server().getAllServeEvents().isEmpty());

        assertThat(api.postJson(BATCHES + "/" + batchId + "/start", token, Map.of()).status()).isEqualTo(200);
        assertThat(api.postJson(BATCHES + "/" + batchId + "/start", token, Map.of()).status()).isEqualTo(409);
        assertThat(awaitBatchEnd(batchId).get("status").asString()).isEqualTo("completed");
        UUID overridden = UUID.fromString(api.get(BATCHES + "/" + batchId, token)
            .json()
            .get("registration_jobs")
            .findValues("job_id")
            .stream()
            .map(JsonNode::asString)
            .filter(id -> jdbc.sql("select restaurant_id from registration_jobs where id = ?::uuid")
                .param(id)
                .query(UUID.class)
                .single()
                .equals(restaurants.get(0)))
            .findFirst()
            .orElseThrow());
        assertThat(TestDownstream.callsOf(overridden, "cloudwaitressAccount")).isEmpty();

        JsonNode listing = api.get(BATCHES + "?status=completed", token).json();
        assertThat(listing.get("content")).extracting(batch -> batch.get("id").asString()).contains(batchId.toString());
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
        return awaitBatchEnd(batchId, () -> {
        });
    }

    /**
     * Waits for the batch to end, sampling whatever the test wants to watch on every
     * poll.
     */
    private JsonNode awaitBatchEnd(UUID batchId, Runnable sample) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            sample.run();
            return api.get(BATCHES + "/" + batchId + "/progress", token).json();
        }, progress -> List.of("completed", "failed", "cancelled").contains(progress.get("status").asString()));
    }

}
