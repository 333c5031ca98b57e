package io.yolomode.registration.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * cloudwaitressAccount is called at most once per interval and one call at a time across
 * the whole cluster, whichever instance runs the job, retries included; the gaps are
 * measured where the calls arrive, at the registration API. A hold whose run no longer
 * has a live lease does not block the others; a call that times out frees the limit when
 * it ends; the interval is kept in the database, so an instance started anew still waits
 * it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountCreationRateLimitTest {

    private static final long INTERVAL_MILLIS = 1000;

    /**
     * Granted starts are at least the interval apart on the database's clock; the calls
     * reach the stub a little later each, by amounts that differ (a loaded machine), so
     * gaps seen there may be somewhat shorter.
     */
    private static final long ARRIVAL_JITTER_MILLIS = 300;

    private static final long RESPONSE_TIMEOUT_MILLIS = 7_000;

    /**
     * The test profile leaves the connect timeout at its default: a hold lasts the
     * response timeout plus this.
     */
    private static final long CONNECT_TIMEOUT_MILLIS = 5_000;

    // two jobs at a time per instance, so that jobs waiting on the limit spread over both
    // instances
    private static final Map<String, String> SETTINGS = Map.of("registration.downstream.account-creation-min-interval",
            INTERVAL_MILLIS + "ms", "registration.downstream.response-timeouts.cloudwaitressAccount",
            RESPONSE_TIMEOUT_MILLIS + "ms", "registration.downstream.connect-timeout", CONNECT_TIMEOUT_MILLIS + "ms",
            "registration.downstream.response-timeouts.restaurantRegistration", "10s",
            "registration.runner.max-concurrent-jobs", "2");

    TestDatabase.Coordinates database;

    ServiceInstance a;

    ServiceInstance b;

    JdbcClient jdbc;

    TestData data;

    UUID organisation;

    String token;

    @BeforeAll
    void startInstances() {
        TestDownstream.reset();
        database = TestDatabase.freshDatabase();
        a = ServiceInstance.start(database, SETTINGS);
        b = ServiceInstance.start(database, SETTINGS);
        jdbc = database.jdbcClient();
        data = new TestData(jdbc);
        // a first account-creation call per instance runs cold code on its way to the API
        // and arrives late, which
        // shortens the gap to the next one seen at the stub: each instance makes one
        // before the gaps are measured
        UUID warmUp = data.organisation();
        token = TestTokens.forOrganisation(warmUp);
        for (ServiceInstance instance : List.of(a, b)) {
            UUID jobId = jobs(instance).start(data.restaurant(warmUp, "Warm Up"), Map.of());
            assertThat(jobs(instance).awaitEnd(jobId).get("status").asString()).isEqualTo("completed");
        }
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
        token = TestTokens.forOrganisation(organisation);
    }

    @Test
    void fiveJobsOnTwoInstancesCallAccountCreationAtLeastTheIntervalApartRetriesIncluded() {
        List<UUID> restaurants = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            restaurants.add(data.restaurant(organisation, "Limited " + i));
        }
        // the first job's first call is answered 503: its retry must take the limit again
        TestDownstream.stub(TestDownstream.callOf(restaurants.get(0), "/api/registration/register-account")
            .inScenario("retry once")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("answered")
            .willReturn(TestDownstream.status(503, "{\"message\": \"busy\"}")));
        List<UUID> jobIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobIds.add(jobs(i % 2 == 0 ? a : b).start(restaurants.get(i), Map.of()));
        }
        for (int i = 0; i < jobIds.size(); i++) {
            assertThat(jobs(i % 2 == 0 ? a : b).awaitEnd(jobIds.get(i)).get("status").asString())
                .isEqualTo("completed");
        }

        assertThat(TestDownstream.callsOf(jobIds.get(0), "cloudwaitressAccount")).hasSize(2);
        List<Long> arrivals = jobIds.stream()
            .flatMap(jobId -> TestDownstream.callsOf(jobId, "cloudwaitressAccount").stream())
            .map(call -> call.getLoggedDate().getTime())
            .sorted()
            .toList();
        assertThat(arrivals).hasSize(6);
        for (int i = 1; i < arrivals.size(); i++) {
            assertThat(arrivals.get(i) - arrivals.get(i - 1)).as("gap before call %d", i)
                .isGreaterThanOrEqualTo(INTERVAL_MILLIS - ARRIVAL_JITTER_MILLIS);
        }
        assertThat(a.bean(JobRunner.class).peakRunning()).isPositive();
        assertThat(b.bean(JobRunner.class).peakRunning()).isPositive();
    }

    @Test
    void aSlowCallHoldsTheLimitAndTheNextJobWaitsShowingWhyUntilItEnds() {
        UUID slow = data.restaurant(organisation, "Slow Account");
        UUID next = data.restaurant(organisation, "Next In Line");
        TestDownstream.succeedAfter(slow, "/api/registration/register-account", 4000);
        UUID slowJob = jobs(a).start(slow, Map.of());
        await().until(() -> TestDownstream.callsOf(slowJob, "cloudwaitressAccount").size() == 1);
        UUID nextJob = jobs(b).start(next, Map.of());

        await().atMost(Duration.ofSeconds(10))
            .until(() -> "waiting for the cluster-wide rate limit"
                .equals(SingleJobs.subStep(jobs(b).job(nextJob), "phase1", "cloudwaitressAccount")
                    .path("reason")
                    .asString("")));
        assertThat(jobs(b).awaitEnd(nextJob).get("status").asString()).isEqualTo("completed");
        assertThat(jobs(a).awaitEnd(slowJob).get("status").asString()).isEqualTo("completed");

        long slowArrived = TestDownstream.callsOf(slowJob, "cloudwaitressAccount").get(0).getLoggedDate().getTime();
        long nextArrived = TestDownstream.callsOf(nextJob, "cloudwaitressAccount").get(0).getLoggedDate().getTime();
        // the interval alone would have let it in after 1 s; the hold kept it out until
        // the 4 s call had ended
        assertThat(nextArrived - slowArrived).isGreaterThanOrEqualTo(4000 - ARRIVAL_JITTER_MILLIS);
    }

    @Test
    void aHoldWhoseRunHasNoLiveLeaseDoesNotBlockTheOthers() {
        // a run that took the limit and then lost its job (its instance died): the hold
        // would last 10 minutes
        jdbc.sql("""
                insert into registration_rate_limits (name, holder, held_until, last_started_at)
                values ('cloudwaitressAccount', ?, now() + interval '10 minutes', now() - interval '1 minute')
                on conflict (name) do update set holder = excluded.holder, held_until = excluded.held_until,
                    last_started_at = excluded.last_started_at""").param(UUID.randomUUID() + ":1").update();
        UUID restaurant = data.restaurant(organisation, "Unblocked");

        UUID jobId = jobs(a).start(restaurant, Map.of());

        assertThat(jobs(a).awaitEnd(jobId).get("status").asString()).isEqualTo("completed");
        assertThat(TestDownstream.callsOf(jobId, "cloudwaitressAccount")).hasSize(1);
    }

    @Test
    void aCallThatTimesOutReleasesTheLimitAtOnceNotWhenItsHoldWouldHaveRunOut() {
        UUID silent = data.restaurant(organisation, "Silent Account");
        UUID next = data.restaurant(organisation, "After The Timeout");
        // the first call is answered only after the response timeout; the retry is
        // answered at once
        TestDownstream.stub(TestDownstream.callOf(silent, "/api/registration/register-account")
            .inScenario("time out once")
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("timed out")
            .willReturn(
                    TestDownstream.okJson("{\"success\": true}").withFixedDelay((int) RESPONSE_TIMEOUT_MILLIS + 2000)));
        // keeps the first job's lease alive past its hold, so that only the release can
        // have let the next one in
        TestDownstream.succeedAfter(silent, "/api/registration/register-restaurant",
                (int) CONNECT_TIMEOUT_MILLIS + 1000);
        UUID silentJob = jobs(a).start(silent, Map.of());
        await().until(() -> TestDownstream.callsOf(silentJob, "cloudwaitressAccount").size() == 1);
        UUID nextJob = jobs(b).start(next, Map.of());

        assertThat(jobs(a).awaitEnd(silentJob).get("status").asString()).isEqualTo("completed");
        assertThat(jobs(b).awaitEnd(nextJob).get("status").asString()).isEqualTo("completed");

        assertThat(TestDownstream.callsOf(silentJob, "cloudwaitressAccount")).hasSize(2);
        long silentArrived = TestDownstream.callsOf(silentJob, "cloudwaitressAccount").get(0).getLoggedDate().getTime();
        long nextArrived = TestDownstream.callsOf(nextJob, "cloudwaitressAccount").get(0).getLoggedDate().getTime();
        // held while the call was open; freed when it timed out, not when held_until
        // (timeout + connect) passed
        assertThat(nextArrived - silentArrived).isGreaterThanOrEqualTo(RESPONSE_TIMEOUT_MILLIS - ARRIVAL_JITTER_MILLIS)
            .isLessThan(RESPONSE_TIMEOUT_MILLIS + CONNECT_TIMEOUT_MILLIS - ARRIVAL_JITTER_MILLIS);
    }

    @Test
    void anInstanceStartedAfterARestartStillWaitsTheIntervalSinceTheLastStartItDidNotMake() {
        b.close();
        b = ServiceInstance.start(database, SETTINGS);
        UUID before = data.restaurant(organisation, "Before The Restarted Instance");
        UUID first = data.restaurant(organisation, "First After Restart");

        // the new instance's first request runs cold code for a while: answered once, the
        // next job starts at
        // once, well inside the interval of the call it must wait for
        assertThat(jobs(b).execute(UUID.randomUUID(), Map.of()).status()).isGreaterThanOrEqualTo(400);

        // the new instance has made no start of its own: only the database tells it when
        // the last one was
        UUID beforeJob = jobs(a).start(before, Map.of());
        await().pollInterval(Duration.ofMillis(20))
            .until(() -> TestDownstream.callsOf(beforeJob, "cloudwaitressAccount").size() == 1);
        UUID firstJob = jobs(b).start(first, Map.of());
        assertThat(jobs(a).awaitEnd(beforeJob).get("status").asString()).isEqualTo("completed");
        assertThat(jobs(b).awaitEnd(firstJob).get("status").asString()).isEqualTo("completed");

        long beforeArrived = TestDownstream.callsOf(beforeJob, "cloudwaitressAccount").get(0).getLoggedDate().getTime();
        long firstArrived = TestDownstream.callsOf(firstJob, "cloudwaitressAccount").get(0).getLoggedDate().getTime();
        assertThat(firstArrived - beforeArrived).isGreaterThanOrEqualTo(INTERVAL_MILLIS - ARRIVAL_JITTER_MILLIS);
    }

    private SingleJobs jobs(ServiceInstance instance) {
        return new SingleJobs(instance.api(), token);
    }

}
