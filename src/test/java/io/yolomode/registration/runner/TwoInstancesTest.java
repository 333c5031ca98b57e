package io.yolomode.registration.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
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

import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the service on one database and one registration API: every job runs
 * exactly once, a lost lease stops a run without writes, and a gracefully stopped
 * instance's jobs continue on the other at once, on the hand-back's notification rather
 * than the other's next poll.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesTest {

    private static final Map<String, String> SETTINGS = Map.of(
            // so long that only the notification can explain a prompt pick-up of a queued
            // or handed-back job
            "registration.runner.poll-interval", "120s", "registration.runner.shutdown-grace", "1s",
            "registration.runner.lease-renew-interval", "500ms");

    TestDatabase.Coordinates database;

    ServiceInstance a;

    ServiceInstance b;

    JdbcClient jdbc;

    TestData data;

    UUID organisation;

    @BeforeAll
    void startInstances() {
        TestDownstream.reset();
        database = TestDatabase.freshDatabase();
        a = ServiceInstance.start(database, SETTINGS);
        b = ServiceInstance.start(database, SETTINGS);
        jdbc = database.jdbcClient();
        data = new TestData(jdbc);
    }

    @AfterAll
    void stopInstances() {
        a.close();
        b.close();
    }

    @BeforeEach
    void setUp() {
        TestDownstream.reset();
        organisation = data.organisation();
    }

    @Test
    void hundredJobsOnTwoInstancesCallEverySubStepExactlyOnce() {
        String token = TestTokens.forOrganisation(organisation);
        List<UUID> jobIds = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            UUID restaurant = data.restaurant(organisation, "Pair " + i);
            UUID menu = data.menu(restaurant, "Menu " + i);
            ServiceInstance entry = i % 2 == 0 ? a : b;
            jobIds.add(new SingleJobs(entry.api(), token).start(restaurant, SingleJobs.fullForm(menu)));
        }

        Instant queued = Instant.now();
        await().atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> jdbc
                .sql("select count(*) from registration_jobs where organisation_id = ? and status = 'completed'")
                .param(organisation)
                .query(Long.class)
                .single() == 100);

        System.out.println("two instances: 100 jobs completed " + Duration.between(queued, Instant.now()).toMillis()
                + " ms after the last was queued");
        Map<String, Long> callsPerKey = TestDownstream.server()
            .findAll(anyRequestedFor(urlPathMatching("/api/.*")))
            .stream()
            .map(call -> call.getHeader("Idempotency-Key"))
            .filter(key -> jobIds.contains(UUID.fromString(key.substring(0, 36))))
            .collect(Collectors.groupingBy(key -> key, Collectors.counting()));
        assertThat(callsPerKey).hasSize(1200);
        assertThat(callsPerKey.values()).containsOnly(1L);
        assertThat(a.bean(JobRunner.class).peakRunning()).isPositive();
        assertThat(b.bean(JobRunner.class).peakRunning()).isPositive();
        assertThat(jdbc.sql("""
                select count(*) from registration_jobs
                where organisation_id = ? and (lease_owner is not null or status <> 'completed')""")
            .param(organisation)
            .query(Long.class)
            .single()).isZero();
    }

    @Test
    void aRunWhoseLeaseWasTakenStopsWithoutWriting() {
        UUID restaurant = data.restaurant(organisation, "Stolen Lease");
        TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 2000);
        SingleJobs jobs = new SingleJobs(a.api(), TestTokens.forOrganisation(organisation));
        // every sub-step wanted, so that phases 3 and 4 would be called if the run went
        // on
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(data.menu(restaurant, "Menu")));
        await().until(() -> TestDownstream.callsOf(jobId, "paymentConfig").size() == 1);

        jdbc.sql("""
                update registration_jobs set lease_owner = 'some-other-instance', attempt = attempt + 1,
                    lease_expires_at = now() + interval '10 minutes' where id = ?""").param(jobId).update();
        long eventsAfterTheft = events(jobId);

        await().atMost(Duration.ofSeconds(10))
            .until(() -> !a.bean(JobRunner.class).runningJobIds().contains(jobId)
                    && !b.bean(JobRunner.class).runningJobIds().contains(jobId));
        assertThat(events(jobId)).isEqualTo(eventsAfterTheft);
        assertThat(SingleJobs.subStep(jobs.job(jobId), "phase2", "paymentConfig").get("status").asString())
            .isEqualTo("in_progress");
        assertThat(TestDownstream.callsOf(jobId, "optionSets")).isEmpty();
        assertThat(TestDownstream.callsOf(jobId, "itemTags")).isEmpty();
        jdbc.sql(
                "update registration_jobs set status = 'failed', lease_owner = null, lease_expires_at = null where id = ?")
            .param(jobId)
            .update();
    }

    @Test
    void aGracefullyStoppedInstancesJobContinuesOnTheOtherOnTheNotificationNotItsPoll() {
        UUID restaurant = data.restaurant(organisation, "Handover Hall");
        TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 4000);
        SingleJobs jobs = new SingleJobs(a.api(), TestTokens.forOrganisation(organisation));
        UUID jobId = jobs.start(restaurant, Map.of());
        await().until(() -> TestDownstream.callsOf(jobId, "paymentConfig").size() == 1);
        String ownerName = jdbc.sql("select lease_owner from registration_jobs where id = ?")
            .param(jobId)
            .query(String.class)
            .single();
        boolean aOwns = ownerName.equals(a.bean(JobRunner.class).owner());
        ServiceInstance owner = aOwns ? a : b;
        ServiceInstance other = aOwns ? b : a;
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/configure-payment")
            .atPriority(0)
            .willReturn(TestDownstream.okJson("{\"success\": true}")));

        owner.close();

        Instant released = jdbc
            .sql("""
                    select occurred_at from registration_job_events where registration_job_id = ? and type = 'job_released'""")
            .param(jobId)
            .query(Instant.class)
            .single();
        SingleJobs survivor = new SingleJobs(other.api(), TestTokens.forOrganisation(organisation));
        assertThat(survivor.awaitEnd(jobId).get("status").asString()).isEqualTo("completed");
        Instant resumed = jdbc.sql("""
                select occurred_at from registration_job_events
                where registration_job_id = ? and type = 'job_started' order by sequence desc limit 1""")
            .param(jobId)
            .query(Instant.class)
            .single();
        System.out.println("graceful hand-over: job started on the other instance "
                + Duration.between(released, resumed).toMillis() + " ms after it was handed back");
        // the other instance polls every 120 s: only the hand-back's notification
        // explains a pick-up this soon
        assertThat(Duration.between(released, resumed)).isLessThan(Duration.ofSeconds(5));
        List<LoggedRequest> payments = TestDownstream.callsOf(jobId, "paymentConfig");
        assertThat(payments).hasSize(2);
        assertThat(TestDownstream.callsOf(jobId, "restaurantRegistration")).hasSize(1);

        if (aOwns) {
            a = ServiceInstance.start(database, SETTINGS);
        }
        else {
            b = ServiceInstance.start(database, SETTINGS);
        }
    }

    private long events(UUID jobId) {
        return jdbc.sql("select count(*) from registration_job_events where registration_job_id = ?")
            .param(jobId)
            .query(Long.class)
            .single();
    }

}
