package io.yolomode.registration.live;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.ServiceInstance;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.SseClient;
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
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Instance A runs the jobs, instance B only answers the API: a stream on B sees A's
 * changes at once, and a cancel sent to B stops A's run for real.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossInstanceControlTest {

    TestDatabase.Coordinates database;

    ServiceInstance runnerA;

    ServiceInstance apiB;

    JdbcClient jdbc;

    UUID organisation;

    UUID restaurant;

    String token;

    @BeforeAll
    void startInstances() {
        TestDownstream.reset();
        database = TestDatabase.freshDatabase();
        runnerA = ServiceInstance.start(database, Map.of());
        apiB = ServiceInstance.start(database, Map.of("registration.runner.enabled", "false"));
        jdbc = database.jdbcClient();
    }

    @AfterAll
    void stopInstances() {
        runnerA.close();
        apiB.close();
    }

    @BeforeEach
    void setUp() {
        TestDownstream.reset();
        TestData data = new TestData(jdbc);
        organisation = data.organisation();
        restaurant = data.restaurant(organisation, "Two Sided Tavern");
        token = TestTokens.forOrganisation(organisation);
    }

    @Test
    void aStreamOnBSeesEveryChangeOfAJobRunOnAWithinASecond() {
        ApiClient.Response accepted = apiB.api()
            .postJson("/api/registration/execute-single-restaurant", token,
                    Map.of("restaurantId", restaurant.toString(), "formData", Map.of(), "scheduledAt",
                            Instant.now().plusSeconds(1).toString()));
        UUID jobId = UUID.fromString(accepted.json().get("jobId").asString());

        try (SseClient stream = SseClient.connect(apiB.port(), "/api/registration/jobs/" + jobId + "/events", token,
                null)) {
            await().atMost(Duration.ofSeconds(30)).until(stream::ended);

            List<Long> sequences = jdbc.sql("""
                    select sequence from registration_job_events where registration_job_id = ? order by sequence""")
                .param(jobId)
                .query(Long.class)
                .list();
            assertThat(stream.ids()).isEqualTo(sequences);
            long worst = 0;
            for (SseClient.Event event : stream.events().subList(1, stream.events().size())) {
                Instant written = Instant.parse(event.data().get("event").get("at").asString());
                long delay = event.receivedAtMillis() - written.toEpochMilli();
                worst = Math.max(worst, delay);
                assertThat(delay).as("event %d", event.id()).isLessThan(1000);
            }
            System.out.println(
                    "cross-instance push: worst delay " + worst + " ms over " + stream.events().size() + " events");
            assertThat(
                    jdbc.sql("select lease_owner is null and status = 'completed' from registration_jobs where id = ?")
                        .param(jobId)
                        .query(Boolean.class)
                        .single())
                .isTrue();
            assertThat(runnerA.bean(io.yolomode.registration.runner.JobRunner.class).peakRunning()).isPositive();
        }
    }

    @Test
    void aCancelSentToBStopsTheRunOnAWithinTwoSeconds() {
        TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 15000);
        SingleJobs jobs = new SingleJobs(apiB.api(), token);
        // every sub-step wanted, so that phases 3 and 4 would be called if the run went
        // on
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(new TestData(jdbc).menu(restaurant, "Menu")));
        await().until(() -> TestDownstream.callsOf(jobId, "paymentConfig").size() == 1);
        await().until(() -> {
            JsonNode phase2 = jobs.job(jobId).get("phases").get("phase2").get("sub_steps");
            return List
                .of("restaurantRegistration", "websiteConfig", "servicesConfig", "menuImport", "syncOnboardingUser")
                .stream()
                .allMatch(key -> "completed".equals(phase2.get(key).get("status").asString()));
        });

        Instant asked = Instant.now();
        ApiClient.Response cancel = apiB.api().postJson("/api/registration/jobs/" + jobId + "/cancel", token, Map.of());

        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.json().get("status").asString()).isEqualTo("cancelling");
        JsonNode cancelled = await().atMost(Duration.ofSeconds(2))
            .until(() -> jobs.job(jobId), job -> "cancelled".equals(job.get("status").asString()));
        System.out.println("cross-instance cancel: job cancelled " + Duration.between(asked, Instant.now()).toMillis()
                + " ms after the request");
        assertThat(cancelled.get("completedAt").isString()).isTrue();
        assertThat(SingleJobs.subStep(cancelled, "phase2", "paymentConfig").get("status").asString())
            .isEqualTo("cancelled");
        assertThat(SingleJobs.subStep(cancelled, "phase2", "restaurantRegistration").get("status").asString())
            .isEqualTo("completed");
        assertThat(SingleJobs.subStep(cancelled, "phase3", "optionSets").get("status").asString())
            .isEqualTo("cancelled");
        assertThat(SingleJobs.subStep(cancelled, "phase4", "itemTags").get("status").asString()).isEqualTo("cancelled");
        assertThat(cancelled.get("phases").get("phase2").get("status").asString()).isEqualTo("cancelled");
        // The 15-second call was aborted, not left to run out: its thread is free again.
        ThreadPoolTaskExecutor callThreads = runnerA.bean("registrationCallExecutor", ThreadPoolTaskExecutor.class);
        await().atMost(Duration.ofSeconds(1)).until(() -> callThreads.getActiveCount() == 0);
        int callsAtCancel = TestDownstream.callsOf(jobId).size();
        await().during(Duration.ofSeconds(1)).until(() -> TestDownstream.callsOf(jobId).size() == callsAtCancel);
        assertThat(TestDownstream.callsOf(jobId, "optionSets")).isEmpty();
        assertThat(TestDownstream.callsOf(jobId, "itemTags")).isEmpty();
        assertThat(jdbc.sql("select lease_owner is null from registration_jobs where id = ?")
            .param(jobId)
            .query(Boolean.class)
            .single()).isTrue();

        ApiClient.Response again = apiB.api().postJson("/api/registration/jobs/" + jobId + "/cancel", token, Map.of());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("success").asBoolean()).isFalse();

        TestDownstream.reset();
        ApiClient.Response resumed = apiB.api()
            .postJson("/api/registration/resume-single-restaurant/" + restaurant, token, Map.of());
        assertThat(resumed.status()).isEqualTo(202);
        JsonNode done = jobs.awaitEnd(jobId);
        assertThat(done.get("status").asString()).isEqualTo("completed");
        // Only what the cancel stopped runs again; the cancelled call in a new
        // generation: a new key.
        assertThat(TestDownstream.callsOf(jobId))
            .extracting(call -> call.getHeader("Idempotency-Key")
                .substring(jobId.toString().length() + 1)
                .replaceAll(":\\d+$", ""))
            .containsExactlyInAnyOrder("paymentConfig", "optionSets", "itemTags");
        assertThat(TestDownstream.callsOf(jobId, "paymentConfig")).extracting(call -> call.getHeader("Idempotency-Key"))
            .containsExactly(jobId + ":paymentConfig:2");
        assertThat(SingleJobs.subStep(done, "phase3", "optionSets").get("status").asString()).isEqualTo("completed");
        assertThat(SingleJobs.subStep(done, "phase4", "itemTags").get("status").asString()).isEqualTo("completed");
    }

}
