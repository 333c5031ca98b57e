package io.yolomode.registration.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.SseClient;
import io.yolomode.registration.testsupport.TestDownstream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.yolomode.registration.testsupport.SingleJobs.subStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A registration API that echoes the passwords it was sent (in a result, nested in a
 * result, in an error message) never gets them shown: not by the progress answers, the
 * history, the event stream (live or replayed), the job listing, the batch views, nor the
 * stored results and errors.
 */
class PasswordsNeverShownTest extends CallerTestSupport {

    private static final String ACCOUNT_PASSWORD = "Acc0unt-Secret!";

    private static final String USER_PASSWORD = "Onb0arding-Secret!";

    @Test
    void echoedPasswordsAreMaskedEverywhereTheJobIsShown() {
        UUID restaurant = data.restaurant(organisation, "Echoing Eatery");
        UUID menu = data.menu(restaurant, "Dinner");
        echoPasswords(restaurant);
        UUID batchRestaurant = data.restaurant(organisation, "Echoing Batch Bar");
        echoPasswords(batchRestaurant);

        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        List<String> live = new ArrayList<>();
        try (SseClient stream = SseClient.connect(port, "/api/registration/jobs/" + jobId + "/events", token, null)) {
            await().atMost(Duration.ofSeconds(30)).until(stream::ended);
            stream.events().forEach(event -> live.add(event.data().toString()));
        }
        JsonNode done = jobs.awaitEnd(jobId);
        ApiClient.Response created = api.postJson("/api/registration-batches", token,
                Map.of("name", "Echo batch", "restaurantIds", List.of(batchRestaurant.toString()), "executionConfig",
                        SingleJobs.fullForm(data.menu(batchRestaurant, "Lunch")), "autoStart", true));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UUID batchId = UUID.fromString(created.json().get("batch_job").get("id").asString());
        UUID batchJobId = UUID.fromString(created.json().get("registration_jobs").get(0).get("job_id").asString());
        await().atMost(Duration.ofSeconds(30))
            .until(() -> List.of("completed", "failed")
                .contains(api.get("/api/registration-batches/" + batchId, token)
                    .json()
                    .get("batch_job")
                    .get("status")
                    .asString()));

        // The echoes really happened and were kept, masked.
        assertThat(done.get("status").asString()).isEqualTo("failed");
        assertThat(done.get("error").asString()).contains("createOnboardingUser (HTTP 422: password *** is too weak)");
        JsonNode result = subStep(done, "phase2", "restaurantRegistration").get("result");
        assertThat(result.get("password").asString()).isEqualTo("***");
        assertThat(result.get("note").asString()).isEqualTo("registered with ***");
        assertThat(result.get("login").get("copies").get(0).asString()).isEqualTo("***");
        assertThat(result.get("login").get("secret").asString()).isEqualTo("***");
        assertThat(live).as("live events").isNotEmpty();

        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("progress", jobs.progress(restaurant).toString());
        shown.put("job", api.get("/api/registration/jobs/" + jobId, token).body());
        shown.put("history", api.get("/api/registration/jobs/" + jobId + "/history", token).body());
        shown.put("listing", api.get("/api/registration/jobs?restaurantId=" + restaurant, token).body());
        shown.put("all jobs", api.get("/api/registration/jobs?size=100", token).body());
        shown.put("live stream", String.join("\n", live));
        shown.put("replayed stream", replayed(jobId));
        shown.put("batch job", api.get("/api/registration/jobs/" + batchJobId, token).body());
        shown.put("batch job history", api.get("/api/registration/jobs/" + batchJobId + "/history", token).body());
        shown.put("batch created", created.body());
        shown.put("batch", api.get("/api/registration-batches/" + batchId, token).body());
        shown.put("batches", api.get("/api/registration-batches", token).body());
        shown.put("batch listing", api.get("/api/registration/jobs?batchId=" + batchId, token).body());
        shown.put("stored", storedText(jobId) + "\n" + storedText(batchJobId));
        assertThat(shown.get("history")).contains("password *** is too weak");
        assertThat(shown.get("batch job")).contains("registered with ***");
        shown.forEach((where, text) -> assertThat(text).as(where).doesNotContain(ACCOUNT_PASSWORD, USER_PASSWORD));
    }

    private static void echoPasswords(UUID restaurant) {
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/register-restaurant")
            .willReturn(TestDownstream.okJson("{\"success\": true, \"password\": \"" + ACCOUNT_PASSWORD
                    + "\", \"note\": \"registered with " + ACCOUNT_PASSWORD + "\", \"login\": {\"copies\": [\""
                    + ACCOUNT_PASSWORD + "\"], \"secret\": \"" + ACCOUNT_PASSWORD + "\"}}")));
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/create-onboarding-user")
            .willReturn(TestDownstream.status(422,
                    "{\"success\": false, \"message\": \"password " + USER_PASSWORD + " is too weak\"}")));
    }

    /** Every entry of the job's stream, replayed from the start. */
    private String replayed(UUID jobId) {
        try (SseClient stream = SseClient.connect(port, "/api/registration/jobs/" + jobId + "/events", token, 0L)) {
            await().atMost(Duration.ofSeconds(30)).until(stream::ended);
            assertThat(stream.events()).hasSizeGreaterThan(10);
            return String.join("\n", stream.events().stream().map(event -> event.data().toString()).toList());
        }
    }

    private String storedText(UUID jobId) {
        return String.join("\n", jdbc.sql("""
                select concat_ws(' ', j.error_message, s.sub_step_progress::text, s.error_message)
                from registration_jobs j join registration_job_steps s on s.registration_job_id = j.id
                where j.id = ?""").param(jobId).query(String.class).list()) + String.join("\n", jdbc.sql("""
                select concat_ws(' ', type, sub_step, status, error) from registration_job_events
                where registration_job_id = ?""").param(jobId).query(String.class).list());
    }

}
