package io.yolomode.registration.cancel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.job.FormData;
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
import static org.awaitility.Awaitility.await;

/**
 * A cancel reaches the run even when its notification does not: the owner's next lease
 * renewal sees the request, and a job claimed with a request pending is cancelled before
 * it calls anything. Every request leaves a {@code cancel_requested} entry in the
 * history.
 */
class CancelSafetyNetTest extends CallerTestSupport {

    @Autowired
    JsonMapper jsonMapper;

    UUID restaurant;

    @BeforeEach
    void setUp() {
        restaurant = data.restaurant(organisation, "Second Thoughts");
    }

    @Test
    void aCancelRequestWhoseNotificationWasMissedIsCaughtByTheNextRenewal() {
        TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 20000);
        UUID jobId = jobs.start(restaurant, Map.of());
        await().until(() -> TestDownstream.callsOf(jobId, "paymentConfig").size() == 1);

        // the request as the cancel endpoint writes it, but without its NOTIFY
        jdbc.sql("update registration_jobs set cancel_requested_at = now() where id = ?").param(jobId).update();

        JsonNode ended = await().atMost(Duration.ofSeconds(15))
            .until(() -> jobs.job(jobId), job -> "cancelled".equals(job.get("status").asString()));
        assertThat(SingleJobs.subStep(ended, "phase2", "paymentConfig").get("status").asString())
            .isEqualTo("cancelled");
        assertThat(jdbc.sql("select lease_owner is null from registration_jobs where id = ?")
            .param(jobId)
            .query(Boolean.class)
            .single()).isTrue();
    }

    @Test
    void aJobClaimedWithACancelRequestIsCancelledBeforeItCallsAnything() {
        UUID jobId = UUID.randomUUID();
        // an instance died after the request was written and before it acted on it; its
        // lease has run out
        jdbc.sql("""
                insert into registration_jobs (id, restaurant_id, organisation_id, status, current_step,
                    execution_config, started_at, lease_owner, lease_expires_at, attempt, cancel_requested_at)
                values (?, ?, ?, 'in_progress', 6, ?::jsonb, now() - interval '1 minute', 'dead-instance',
                    now() - interval '1 second', 1, now() - interval '2 seconds')""")
            .params(jobId, restaurant, organisation, jsonMapper.writeValueAsString(FormData.empty()))
            .update();
        jdbc.sql("""
                insert into registration_job_steps (id, registration_job_id, step_number, status, sub_step_progress)
                values (?, ?, 6, 'in_progress', ?::jsonb)""")
            .params(UUID.randomUUID(), jobId, jsonMapper.writeValueAsString(DOCUMENTS.initial()))
            .update();

        JsonNode ended = jobs.awaitEnd(jobId);

        assertThat(ended.get("status").asString()).isEqualTo("cancelled");
        assertThat(TestDownstream.callsOf(jobId)).isEmpty();
        assertThat(history(jobId)).containsExactly("job_taken_over:in_progress", "job_finished:cancelled");
    }

    @Test
    void aCancelOfARunningJobIsInItsHistoryBeforeTheEnd() {
        TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 20000);
        UUID jobId = jobs.start(restaurant, Map.of());
        await().until(() -> TestDownstream.callsOf(jobId, "paymentConfig").size() == 1);

        ApiClient.Response cancel = api.postJson("/api/registration/jobs/" + jobId + "/cancel", token, Map.of());

        assertThat(cancel.status()).isEqualTo(202);
        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("cancelled");
        List<String> history = history(jobId);
        assertThat(history).filteredOn(entry -> entry.startsWith("cancel_requested:"))
            .hasSize(1)
            .containsExactly("cancel_requested:in_progress");
        assertThat(history.indexOf("cancel_requested:in_progress"))
            .isLessThan(history.indexOf("job_finished:cancelled"));
        assertThat(history).last().isEqualTo("job_finished:cancelled");
    }

    private List<String> history(UUID jobId) {
        List<String> entries = new ArrayList<>();
        api.get("/api/registration/jobs/" + jobId + "/history", token).json().forEach(entry -> {
            if (entry.path("subStep").asString("").isEmpty()) {
                entries.add(entry.get("type").asString() + ":" + entry.get("status").asString());
            }
        });
        return entries;
    }

}
