package io.yolomode.registration.runner;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.job.FormData;
import io.yolomode.registration.queue.HistoryEntry;
import io.yolomode.registration.queue.HistoryEntryType;
import io.yolomode.registration.queue.JobLease;
import io.yolomode.registration.queue.JobQueue;
import io.yolomode.registration.queue.LeaseLostException;
import io.yolomode.registration.queue.QueueConnections;
import io.yolomode.registration.progress.ProgressDocument;
import io.yolomode.registration.progress.SubStepProgress;
import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestDownstream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static io.yolomode.registration.testsupport.StandardPipeline.DOCUMENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the runner does with jobs that an earlier run left behind: a dead owner's job is
 * taken over and resumed, a job whose runs keep dying fails, a lost lease cannot write,
 * and a scheduled job waits for its time.
 */
class RecoveryTest extends CallerTestSupport {

    @Autowired
    JsonMapper jsonMapper;

    @Autowired
    JobQueue store;

    @Autowired
    JobRunner runner;

    @Autowired
    QueueConnections connections;

    UUID restaurant;

    @BeforeEach
    void setUp() {
        restaurant = data.restaurant(organisation, "Recovery Rooms");
    }

    @Test
    void aDeadOwnersJobIsTakenOverAndResumedWhereItStopped() {
        ProgressDocument document = DOCUMENTS.initial();
        long now = Instant.now().toEpochMilli();
        for (String done : List.of("cloudwaitressAccount", "codeGeneration")) {
            document = DOCUMENTS.withSubStep(document, done,
                    SubStepProgress.completed(now, now, 1, Map.of("success", true)));
        }
        for (String skipped : List.of("createOnboardingUser", "uploadImages")) {
            document = DOCUMENTS.withSubStep(document, skipped, SubStepProgress.skipped(now, "not wanted"));
        }
        document = DOCUMENTS.withSubStep(document, "restaurantRegistration",
                SubStepProgress.retrying(now, 2, "HTTP 503: busy"));
        UUID jobId = insertOrphan(document, 0);
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/configure-services")
            .inScenario("once")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willSetStateTo("ok")
            .willReturn(TestDownstream.status(503, "{\"message\": \"busy\"}")));

        JsonNode done = jobs.awaitEnd(jobId);

        assertThat(done.get("status").asString()).isEqualTo("completed");
        List<String> history = new java.util.ArrayList<>();
        api.get("/api/registration/jobs/" + jobId + "/history", token)
            .json()
            .forEach(entry -> history.add(entry.get("type").asString() + ":" + entry.path("subStep").asString("") + ":"
                    + entry.get("status").asString()));
        assertThat(history).first().isEqualTo("job_taken_over::in_progress");
        assertThat(history).contains("sub_step:servicesConfig:retrying", "sub_step:servicesConfig:completed");
        assertThat(history).last().isEqualTo("job_finished::completed");
        assertThat(TestDownstream.callsOf(jobId, "cloudwaitressAccount")).isEmpty();
        assertThat(TestDownstream.callsOf(jobId, "codeGeneration")).isEmpty();
        assertThat(TestDownstream.callsOf(jobId, "restaurantRegistration")).hasSize(1)
            .allSatisfy(
                    call -> assertThat(call.getHeader("Idempotency-Key")).isEqualTo(jobId + ":restaurantRegistration"));
        assertThat(SingleJobs.subStep(done, "phase2", "restaurantRegistration").get("attempts").asInt()).isEqualTo(1);
        List<String> types = jdbc
            .sql("select type from registration_job_events where registration_job_id = ? order by sequence")
            .param(jobId)
            .query(String.class)
            .list();
        assertThat(types).first().isEqualTo(HistoryEntryType.JOB_TAKEN_OVER.text());
        assertThat(types).last().isEqualTo(HistoryEntryType.JOB_FINISHED.text());
        assertThat(jdbc.sql("select takeover_count from registration_jobs where id = ?")
            .param(jobId)
            .query(Integer.class)
            .single()).isEqualTo(1);
    }

    @Test
    void aTakeoverDoesNotCallAFailedSubStepAgain() {
        long now = Instant.now().toEpochMilli();
        ProgressDocument document = DOCUMENTS.initial();
        for (String done : List.of("cloudwaitressAccount", "codeGeneration", "restaurantRegistration")) {
            document = DOCUMENTS.withSubStep(document, done, SubStepProgress.completed(now, now, 1, null));
        }
        document = DOCUMENTS.withSubStep(document, "paymentConfig",
                SubStepProgress.failed(now, now, 1, "HTTP 400: no"));
        document = DOCUMENTS.withSubStep(document, "servicesConfig", SubStepProgress.started(now));
        UUID jobId = insertOrphan(document, 0);

        JsonNode done = jobs.awaitEnd(jobId);

        assertThat(done.get("status").asString()).isEqualTo("failed");
        assertThat(done.get("error").asString()).startsWith("Failed sub-steps: paymentConfig (HTTP 400: no)");
        assertThat(TestDownstream.callsOf(jobId, "paymentConfig")).isEmpty();
        assertThat(TestDownstream.callsOf(jobId, "servicesConfig")).hasSize(1);
    }

    @Test
    void aJobWhoseRunsKeepDyingFailsInsteadOfRunningAgain() {
        UUID jobId = insertOrphan(DOCUMENTS.initial(), 5);

        JsonNode done = jobs.awaitEnd(jobId);

        assertThat(done.get("status").asString()).isEqualTo("failed");
        assertThat(done.get("error").asString())
            .isEqualTo("Gave up after 5 takeovers: every run of this job stopped before it ended");
        assertThat(TestDownstream.callsOf(jobId)).isEmpty();
        assertThat(api.postJson("/api/registration/resume-single-restaurant/" + restaurant, token, Map.of()).status())
            .isEqualTo(202);
        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("completed");
    }

    @Test
    void aRunWhoseJobWasReclaimedByAnotherOwnerCannotWrite() {
        assertTheStaleLeaseCannotWriteButTheCurrentOneCan("instance-b", 3);
    }

    @Test
    void aRunWhoseJobWasReclaimedByTheSameOwnerWithANewAttemptCannotWrite() {
        // what an instance does to its own job after its lease ran out (a database
        // outage): same owner, attempt + 1
        assertTheStaleLeaseCannotWriteButTheCurrentOneCan("instance-a", 4);
    }

    /**
     * Writes of several jobs that share one commit are each fenced by their own lease:
     * the stale one changes nothing of its job, and does not keep the others from being
     * written with their history in order.
     */
    @Test
    void writesSharingACommitAreEachFencedByTheirOwnLease() {
        UUID staleJob = insertHeld("instance-b", 3);
        UUID currentJob = insertHeld(data.restaurant(organisation, "Shared Commit Kitchen"), "instance-a", 2);
        String staleDocument = stepDocument(staleJob);
        long staleVersion = version(staleJob);
        long currentVersion = version(currentJob);
        ProgressDocument changed = DOCUMENTS.withSubStep(DOCUMENTS.initial(), "codeGeneration",
                SubStepProgress.completed(1L, 2L, 1, null));
        List<HistoryEntry> entries = List.of(HistoryEntry.subStep("codeGeneration", SubStepProgress.pending()),
                HistoryEntry.subStep("codeGeneration",
                        changed.phases().get("phase1").subSteps().get("codeGeneration")));

        List<Long> versions = store.writeProgressTogether(
                List.of(new JobQueue.ProgressWrite(new JobLease(staleJob, "instance-a", 3), changed, entries),
                        new JobQueue.ProgressWrite(new JobLease(currentJob, "instance-a", 2), changed, entries)),
                connections);

        assertThat(versions).containsExactly(null, currentVersion + 2);
        assertThat(stepDocument(staleJob)).isEqualTo(staleDocument);
        assertThat(version(staleJob)).isEqualTo(staleVersion);
        assertThat(version(currentJob)).isEqualTo(currentVersion + 2);
        assertThat(jdbc.sql("""
                select registration_job_id = ? as current, string_agg(sequence || ':' || status, ',' order by sequence)
                from registration_job_events where registration_job_id in (?, ?) group by 1""")
            .params(currentJob, staleJob, currentJob)
            .query((rs, row) -> rs.getBoolean(1) + " " + rs.getString(2))
            .list())
            .containsExactly("true " + (currentVersion + 1) + ":pending," + (currentVersion + 2) + ":completed");
        assertThat(stepDocument(currentJob)).isEqualTo(jdbc.sql("select ?::jsonb::text")
            .param(jsonMapper.writeValueAsString(changed))
            .query(String.class)
            .single());
        jdbc.sql("""
                update registration_jobs set status = 'failed', lease_owner = null, lease_expires_at = null
                where id in (?, ?)""").params(staleJob, currentJob).update();
    }

    /**
     * The shared runner holds the job, and the job is claimed again under the same owner
     * name with a new attempt while a call is under way (as after this instance's own
     * lease ran out). Renewal still answers for the owner, so nothing interrupts the run:
     * when the call ends the run tries to write its result, and the fence refuses.
     */
    @Test
    void aStaleRunsResultArrivingAfterTheTakeoverIsRefused() {
        TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 1500);
        UUID jobId = jobs.start(restaurant, Map.of());
        org.awaitility.Awaitility.await().until(() -> TestDownstream.callsOf(jobId, "paymentConfig").size() == 1);
        Instant takenOver = jdbc.sql("""
                update registration_jobs set attempt = attempt + 1, version = version + 1 where id = ?
                returning clock_timestamp()""").param(jobId).query(Instant.class).single();
        String documentAtTakeover = stepDocument(jobId);
        long versionAtTakeover = version(jobId);

        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(20))
            .until(() -> !runner.runningJobIds().contains(jobId));

        Instant answered = TestDownstream.callsOf(jobId, "paymentConfig")
            .get(0)
            .getLoggedDate()
            .toInstant()
            .plusMillis(1500);
        assertThat(answered).as("the stale run's call ended after the takeover").isAfter(takenOver);
        assertThat(version(jobId)).isEqualTo(versionAtTakeover);
        assertThat(stepDocument(jobId)).isEqualTo(documentAtTakeover);
        assertThat(jdbc.sql("""
                select count(*) from registration_job_events where registration_job_id = ? and sequence > ?""")
            .params(jobId, versionAtTakeover)
            .query(Long.class)
            .single()).isZero();
        assertThat(
                jdbc.sql("select status from registration_jobs where id = ?").param(jobId).query(String.class).single())
            .isEqualTo("in_progress");
        assertThat(TestDownstream.callsOf(jobId, "paymentConfig")).hasSize(1);
        jdbc.sql(
                "update registration_jobs set status = 'failed', lease_owner = null, lease_expires_at = null where id = ?")
            .param(jobId)
            .update();
    }

    /**
     * Instance A held the job with attempt 3; now {@code owner} holds it with
     * {@code attempt}. Every write of A's run is refused and changes nothing; the current
     * holder's writes go through.
     */
    private void assertTheStaleLeaseCannotWriteButTheCurrentOneCan(String owner, int attempt) {
        UUID jobId = insertHeld("instance-a", 3);
        JobLease stale = new JobLease(jobId, "instance-a", 3);
        jdbc.sql("update registration_jobs set lease_owner = ?, attempt = ? where id = ?")
            .params(owner, attempt, jobId)
            .update();
        String before = stepDocument(jobId);
        long versionBefore = version(jobId);

        ProgressDocument changed = DOCUMENTS.withSubStep(DOCUMENTS.initial(), "codeGeneration",
                SubStepProgress.completed(1L, 2L, 1, null));
        assertThatThrownBy(() -> store.writeProgress(stale, changed,
                List.of(HistoryEntry.subStep("codeGeneration", SubStepProgress.pending()))))
            .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> store.finish(stale, io.yolomode.registration.job.JobStatus.COMPLETED, null, changed))
            .isInstanceOf(LeaseLostException.class);
        assertThat(store.release(stale)).isFalse();
        if (!owner.equals("instance-a")) {
            assertThat(store.renew("instance-a", List.of(jobId), java.time.Duration.ofSeconds(10))).isEmpty();
        }

        assertThat(stepDocument(jobId)).isEqualTo(before);
        assertThat(version(jobId)).isEqualTo(versionBefore);
        assertThat(
                jdbc.sql("select status from registration_jobs where id = ?").param(jobId).query(String.class).single())
            .isEqualTo("in_progress");
        assertThat(jdbc.sql("select count(*) from registration_job_events where registration_job_id = ?")
            .param(jobId)
            .query(Long.class)
            .single()).isZero();

        JobLease current = new JobLease(jobId, owner, attempt);
        long written = store.writeProgress(current, changed,
                List.of(HistoryEntry.subStep("codeGeneration", SubStepProgress.pending()), HistoryEntry
                    .subStep("codeGeneration", changed.phases().get("phase1").subSteps().get("codeGeneration"))));
        assertThat(written).isEqualTo(versionBefore + 2);
        assertThat(version(jobId)).isEqualTo(versionBefore + 2);
        assertThat(jdbc.sql("""
                select string_agg(sequence || ':' || status, ',' order by sequence) from registration_job_events
                where registration_job_id = ?""").param(jobId).query(String.class).single())
            .isEqualTo((versionBefore + 1) + ":pending," + (versionBefore + 2) + ":completed");
        store.finish(current, io.yolomode.registration.job.JobStatus.FAILED, "stopped by the test", changed);
    }

    @Test
    void aScheduledJobWaitsForItsTime() {
        Instant at = Instant.now().plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Map<String, Object> body = Map.of("restaurantId", restaurant.toString(), "formData", Map.of(), "scheduledAt",
                at.toString());
        ApiClient.Response response = api.postJson("/api/registration/execute-single-restaurant", token, body);
        assertThat(response.status()).isEqualTo(202);
        UUID jobId = UUID.fromString(response.json().get("jobId").asString());
        JsonNode waiting = jobs.progress(restaurant);
        assertThat(waiting.get("status").asString()).isEqualTo("pending");
        assertThat(Instant.parse(waiting.get("scheduledAt").asString())).isEqualTo(at);

        JsonNode done = jobs.awaitEnd(jobId);

        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(TestDownstream.callsOf(jobId)).isNotEmpty()
            .allSatisfy(call -> assertThat(call.getLoggedDate().toInstant()).isAfterOrEqualTo(at));
    }

    /**
     * A job that an instance was running when it died: in progress, its lease expired.
     */
    private UUID insertOrphan(ProgressDocument document, int takeovers) {
        UUID jobId = UUID.randomUUID();
        jdbc.sql("""
                insert into registration_jobs (id, restaurant_id, organisation_id, status, current_step,
                    execution_config, started_at, lease_owner, lease_expires_at, attempt, takeover_count)
                values (?, ?, ?, 'in_progress', 6, ?::jsonb, now() - interval '1 minute', 'dead-instance',
                    now() - interval '1 second', 1, ?)""")
            .params(jobId, restaurant, organisation, jsonMapper.writeValueAsString(FormData.empty()), takeovers)
            .update();
        insertStep(jobId, document);
        return jobId;
    }

    /** A job that an instance holds with a lease that will not expire during the test. */
    private UUID insertHeld(String owner, int attempt) {
        return insertHeld(restaurant, owner, attempt);
    }

    private UUID insertHeld(UUID restaurantId, String owner, int attempt) {
        return data.heldJob(organisation, restaurantId, owner, attempt, "{}",
                jsonMapper.writeValueAsString(DOCUMENTS.initial()));
    }

    private void insertStep(UUID jobId, ProgressDocument document) {
        jdbc.sql("""
                insert into registration_job_steps (id, registration_job_id, step_number, status, sub_step_progress)
                values (?, ?, 6, 'in_progress', ?::jsonb)""")
            .params(UUID.randomUUID(), jobId, jsonMapper.writeValueAsString(document))
            .update();
    }

    private String stepDocument(UUID jobId) {
        return jdbc.sql("select sub_step_progress::text from registration_job_steps where registration_job_id = ?")
            .param(jobId)
            .query(String.class)
            .single();
    }

    private long version(UUID jobId) {
        return jdbc.sql("select version from registration_jobs where id = ?").param(jobId).query(Long.class).single();
    }

}
