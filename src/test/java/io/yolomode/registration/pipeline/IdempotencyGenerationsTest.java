package io.yolomode.registration.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.yolomode.registration.job.FormData;
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

import static io.yolomode.registration.testsupport.SingleJobs.subStep;
import static io.yolomode.registration.testsupport.StandardPipeline.DOCUMENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which Idempotency-Key a call sends. The same key when the earlier outcome is unknown:
 * every retry of a call and the call made again after a takeover. A new key (the
 * sub-step's next generation) when the earlier outcome is known and a downstream that
 * remembers keys would only answer it again: a sub-step run again after it ended failed
 * or cancelled, and every sub-step after {@code restart: true}. The sub-step's entry and
 * its history show the key each call sent.
 */
class IdempotencyGenerationsTest extends CallerTestSupport {

    private static final String PAYMENT = "/api/registration/configure-payment";

    private static final String MENU_IMPORT = "/api/registration/import-menu-direct";

    @Autowired
    JsonMapper jsonMapper;

    UUID restaurant;

    UUID menu;

    @BeforeEach
    void setUp() {
        restaurant = data.restaurant(organisation, "Keyed Kitchen");
        menu = data.menu(restaurant, "Dinner");
    }

    @Test
    void aRetryKeepsTheKeyAndTheEntryAndHistoryShowIt() {
        TestDownstream.answersInTurn(restaurant, PAYMENT, TestDownstream.status(503, "{\"message\": \"busy\"}"),
                TestDownstream.okJson("{\"success\": true}"));
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        JsonNode done = jobs.awaitEnd(jobId);

        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(keysOf(TestDownstream.callsOf(jobId, "paymentConfig"))).containsExactly(jobId + ":paymentConfig",
                jobId + ":paymentConfig");
        assertThat(subStep(done, "phase2", "paymentConfig").get("idempotency_key").asString())
            .isEqualTo(jobId + ":paymentConfig");
        assertThat(historyOf(jobId, "paymentConfig")).containsExactly("in_progress " + jobId + ":paymentConfig",
                "retrying " + jobId + ":paymentConfig", "completed " + jobId + ":paymentConfig");
    }

    @Test
    void aTakeoverCallsTheSubStepsUnderWayAgainWithTheirKeys() {
        UUID jobId = UUID.randomUUID();
        long now = Instant.now().toEpochMilli();
        ProgressDocument document = DOCUMENTS.initial();
        for (String done : List.of("cloudwaitressAccount", "codeGeneration", "createOnboardingUser", "uploadImages")) {
            document = DOCUMENTS.withSubStep(document, done, SubStepProgress.completed(now, now, 1, null));
        }
        document = DOCUMENTS.withSubStep(document, "restaurantRegistration",
                SubStepProgress.retrying(now, 2, "HTTP 503: busy")
                    .inGeneration(3, jobId + ":restaurantRegistration:3"));
        insertOrphan(jobId, document);

        JsonNode done = jobs.awaitEnd(jobId);

        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(keysOf(TestDownstream.callsOf(jobId, "restaurantRegistration")))
            .containsExactly(jobId + ":restaurantRegistration:3");
        assertThat(keysOf(TestDownstream.callsOf(jobId, "paymentConfig"))).containsExactly(jobId + ":paymentConfig");
        assertThat(subStep(done, "phase2", "restaurantRegistration").get("generation").asInt()).isEqualTo(3);
    }

    @Test
    void aSubStepThatFailedGetsANewKeyWhenRunAgainWhileOneItBlockedKeepsItsFirst() {
        TestDownstream.stub(TestDownstream.callOf(restaurant, MENU_IMPORT)
            .willReturn(TestDownstream.status(422, "{\"success\": false, \"message\": \"menu has no items\"}")));
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("failed");
        assertThat(keysOf(TestDownstream.callsOf(jobId, "menuImport"))).containsExactly(jobId + ":menuImport");
        TestDownstream.reset();

        assertThat(jobs.execute(restaurant, SingleJobs.fullForm(menu)).status()).isEqualTo(202);
        JsonNode done = jobs.awaitEnd(jobId);

        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(keysOf(TestDownstream.callsOf(jobId, "menuImport"))).containsExactly(jobId + ":menuImport:2");
        assertThat(keysOf(TestDownstream.callsOf(jobId, "optionSets"))).containsExactly(jobId + ":optionSets");
        JsonNode menuImport = subStep(done, "phase2", "menuImport");
        assertThat(menuImport.get("generation").asInt()).isEqualTo(2);
        assertThat(menuImport.get("idempotency_key").asString()).isEqualTo(jobId + ":menuImport:2");
        assertThat(historyOf(jobId, "menuImport")).containsSubsequence("failed " + jobId + ":menuImport",
                "in_progress " + jobId + ":menuImport:2", "completed " + jobId + ":menuImport:2");
    }

    @Test
    void aSubStepCancelledDuringItsCallGetsANewKeyOnResume() {
        TestDownstream.succeedAfter(restaurant, PAYMENT, 15000);
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        await().atMost(Duration.ofSeconds(30)).until(() -> TestDownstream.callsOf(jobId, "paymentConfig").size() == 1);
        assertThat(api.postJson("/api/registration/jobs/" + jobId + "/cancel", token, Map.of()).status())
            .isEqualTo(202);
        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("cancelled");
        TestDownstream.reset();

        ApiClient.Response resumed = api.postJson("/api/registration/resume-single-restaurant/" + restaurant, token,
                Map.of());
        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(202);

        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("completed");
        assertThat(keysOf(TestDownstream.callsOf(jobId, "paymentConfig"))).containsExactly(jobId + ":paymentConfig:2");
    }

    @Test
    void restartGivesEverySubStepANewKey() {
        TestDownstream.stub(TestDownstream.callOf(restaurant, PAYMENT)
            .willReturn(TestDownstream.status(400, "{\"message\": \"no\"}")));
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("failed");
        List<String> firstKeys = keysOf(TestDownstream.callsOf(jobId));
        assertThat(firstKeys).hasSize(12).allSatisfy(key -> assertThat(key).doesNotEndWith(":2"));
        TestDownstream.reset();

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("restaurantId", restaurant.toString());
        body.put("formData", SingleJobs.fullForm(menu));
        body.put("restart", true);
        assertThat(api.postJson("/api/registration/execute-single-restaurant", token, body).status()).isEqualTo(202);

        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("completed");
        assertThat(keysOf(TestDownstream.callsOf(jobId))).hasSize(12)
            .allSatisfy(key -> assertThat(key).startsWith(jobId + ":").endsWith(":2"))
            .doesNotContainAnyElementsOf(firstKeys);
    }

    private static List<String> keysOf(List<LoggedRequest> calls) {
        return calls.stream().map(call -> call.getHeader("Idempotency-Key")).toList();
    }

    /** The sub-step's history entries that name a key, as "status key". */
    private List<String> historyOf(UUID jobId, String subStep) {
        List<String> entries = new ArrayList<>();
        api.get("/api/registration/jobs/" + jobId + "/history", token).json().forEach(entry -> {
            if (subStep.equals(entry.path("subStep").asString("")) && entry.has("idempotencyKey")) {
                entries.add(entry.get("status").asString() + " " + entry.get("idempotencyKey").asString());
            }
        });
        return entries;
    }

    /**
     * A job that an instance was running when it died: in progress, its lease expired.
     */
    private void insertOrphan(UUID jobId, ProgressDocument document) {
        jdbc.sql("""
                insert into registration_jobs (id, restaurant_id, organisation_id, status, current_step,
                    execution_config, started_at, lease_owner, lease_expires_at, attempt, takeover_count)
                values (?, ?, ?, 'in_progress', 6, ?::jsonb, now() - interval '1 minute', 'dead-instance',
                    now() - interval '1 second', 1, 0)""")
            .params(jobId, restaurant, organisation, jsonMapper.writeValueAsString(FormData.empty()))
            .update();
        jdbc.sql("""
                insert into registration_job_steps (id, registration_job_id, step_number, status, sub_step_progress,
                    started_at)
                values (?, ?, 6, 'in_progress', ?::jsonb, now())""")
            .params(UUID.randomUUID(), jobId, jsonMapper.writeValueAsString(document))
            .update();
    }

}
