package io.yolomode.registration.secrets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestDownstream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.yolomode.registration.testsupport.SingleJobs.subStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The owners' passwords in the database: sealed from the moment a job is stored, opened
 * only for the calls that send them, erased once no sub-step can need them, and never
 * echoed into results, errors or history. Every check reads the rows with SQL.
 */
class PasswordsAtRestTest extends CallerTestSupport {

    private static final String ACCOUNT_PASSWORD = "Acc0unt-Secret!";

    private static final String USER_PASSWORD = "Onb0arding-Secret!";

    private static final String REGISTER_ACCOUNT = "/api/registration/register-account";

    private static final String REGISTER_RESTAURANT = "/api/registration/register-restaurant";

    private static final String CREATE_ONBOARDING_USER = "/api/registration/create-onboarding-user";

    @Autowired
    LegacyPasswords legacyPasswords;

    UUID restaurant;

    UUID menu;

    @BeforeEach
    void setUp() {
        restaurant = data.restaurant(organisation, "Sealed Bistro");
        menu = data.menu(restaurant, "Dinner");
    }

    @Test
    void noPlaintextPasswordIsStoredPendingMidRunFailedResumedOrCompleted() {
        TestDownstream.succeedAfter(restaurant, REGISTER_ACCOUNT, 1500);
        TestDownstream.stub(
                TestDownstream.callOf(restaurant, REGISTER_RESTAURANT)
                    .willReturn(TestDownstream.okJson("{\"success\": true, \"password\": \"" + ACCOUNT_PASSWORD
                            + "\", \"note\": \"registered with " + ACCOUNT_PASSWORD + "\", \"login\": {\"secret\": [\""
                            + ACCOUNT_PASSWORD + "\"]}}")));
        TestDownstream.stub(TestDownstream.callOf(restaurant, CREATE_ONBOARDING_USER)
            .willReturn(TestDownstream.status(422,
                    "{\"success\": false, \"message\": \"password " + USER_PASSWORD + " is too weak\"}")));

        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        assertNoPlaintext(jobId);
        assertThat(storedPasswords(jobId)).as("sealed while pending or just claimed")
            .allSatisfy(value -> assertThat(value).startsWith("enc:v1:test-k1:"))
            .hasSize(2);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertNoPlaintext(jobId);
            assertThat(subStep(jobs.job(jobId), "phase1", "cloudwaitressAccount").get("status").asString())
                .isEqualTo("in_progress");
        });
        assertThat(storedPasswords(jobId)).as("mid-run").hasSize(2);

        JsonNode failed = awaitEndScanning(jobId);
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("error").asString()).contains("createOnboardingUser")
            .contains("password *** is too")
            .doesNotContain(USER_PASSWORD);
        JsonNode registration = subStep(failed, "phase2", "restaurantRegistration").get("result");
        assertThat(registration.get("password").asString()).isEqualTo("***");
        assertThat(registration.get("note").asString()).isEqualTo("registered with ***");
        assertThat(registration.toString()).doesNotContain(ACCOUNT_PASSWORD);
        TestDownstream.server()
            .verify(postRequestedFor(urlPathEqualTo(REGISTER_ACCOUNT))
                .withRequestBody(containing("\"password\":\"" + ACCOUNT_PASSWORD + "\"")));
        assertNoPlaintext(jobId);
        assertThat(formOf(jobId).get("account").has("password"))
            .as("account.password erased: cloudwaitressAccount and restaurantRegistration completed")
            .isFalse();
        assertThat(formOf(jobId).get("onboarding").get("userPassword").asString())
            .as("userPassword kept sealed for the resume")
            .startsWith("enc:v1:");

        TestDownstream.reset();
        ApiClient.Response resumed = api.postJson("/api/registration/resume-single-restaurant/" + restaurant, token,
                Map.of());
        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(202);
        JsonNode completed = awaitEndScanning(jobId);

        assertThat(completed.get("status").asString()).isEqualTo("completed");
        TestDownstream.server()
            .verify(postRequestedFor(urlPathEqualTo(CREATE_ONBOARDING_USER))
                .withRequestBody(containing("\"userPassword\":\"" + USER_PASSWORD + "\"")));
        assertThat(TestDownstream.callsOf(jobId)).extracting(call -> call.getUrl())
            .doesNotContain(REGISTER_ACCOUNT, REGISTER_RESTAURANT);
        assertNoPlaintext(jobId);
        assertThat(storedPasswords(jobId)).as("every password erased once the job completed").isEmpty();
    }

    @Test
    void aReExecuteAfterErasureSendsTheNewFormsPasswords() {
        TestDownstream.stub(TestDownstream.callOf(restaurant, CREATE_ONBOARDING_USER)
            .willReturn(TestDownstream.status(422, "{\"success\": false, \"message\": \"taken\"}")));
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        assertThat(awaitEndScanning(jobId).get("status").asString()).isEqualTo("failed");
        assertThat(formOf(jobId).get("account").has("password")).isFalse();

        TestDownstream.reset();
        Map<String, Object> form = new LinkedHashMap<>(SingleJobs.fullForm(menu));
        form.put("onboarding", Map.of("createOnboardingUser", true, "userName", "Olive Owner", "userEmail",
                "olive@bistro.test", "userPassword", "N3w-Onboarding-Secret"));
        assertThat(jobs.execute(restaurant, form).status()).isEqualTo(202);
        assertThat(awaitEndScanning(jobId).get("status").asString()).isEqualTo("completed");

        TestDownstream.server()
            .verify(postRequestedFor(urlPathEqualTo(CREATE_ONBOARDING_USER))
                .withRequestBody(containing("\"userPassword\":\"N3w-Onboarding-Secret\"")));
        assertThat(allStoredText(jobId)).doesNotContain("N3w-Onboarding-Secret");
    }

    @Test
    void aBatchKeepsNoPasswordInItsSharedFormAndSealsEachJobsCopy() {
        Map<String, Object> body = Map.of("name", "Sealed batch", "restaurantIds", List.of(restaurant.toString()),
                "executionConfig", SingleJobs.fullForm(menu));
        ApiClient.Response created = api.postJson("/api/registration-batches", token, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        UUID batchId = UUID.fromString(created.json().get("batch_job").get("id").asString());
        UUID jobId = UUID.fromString(created.json().get("registration_jobs").get(0).get("job_id").asString());

        String batchForm = jdbc.sql("select execution_config::text from registration_batch_jobs where id = ?")
            .param(batchId)
            .query(String.class)
            .single();
        assertThat(batchForm).contains("olive@bistro.test")
            .doesNotContain(ACCOUNT_PASSWORD, USER_PASSWORD)
            .doesNotContain("password");
        assertNoPlaintext(jobId);
        assertThat(storedPasswords(jobId)).hasSize(2).allSatisfy(value -> assertThat(value).startsWith("enc:v1:"));
        assertThat(created.body()).doesNotContain(ACCOUNT_PASSWORD, USER_PASSWORD);
        assertThat(api.postJson("/api/registration-batches/" + batchId + "/cancel", token, Map.of()).status())
            .isEqualTo(202);
    }

    @Test
    void aPasswordStoredInClearBeforeTheUpgradeIsSealedAtStartUpAndStillSent() {
        TestDownstream.stub(TestDownstream.callOf(restaurant, CREATE_ONBOARDING_USER)
            .willReturn(TestDownstream.status(422, "{\"success\": false, \"message\": \"taken\"}")));
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        assertThat(awaitEndScanning(jobId).get("status").asString()).isEqualTo("failed");
        jdbc.sql("update registration_jobs set execution_config = jsonb_set(execution_config,"
                + " '{onboarding,userPassword}', to_jsonb(cast(? as text))) where id = ?")
            .params("Cl3ar-Legacy-User", jobId)
            .update();
        assertThat(allStoredText(jobId)).as("a row as written before sealing").contains("Cl3ar-Legacy-User");
        // One more, at the low end of PostgreSQL's uuid order, since the start-up pass
        // walks the rows by id.
        UUID lowJob = UUID.fromString("00000000-0000-4000-8000-" + UUID.randomUUID().toString().substring(24));
        jdbc.sql("""
                insert into registration_jobs (id, restaurant_id, organisation_id, status, current_step,
                    execution_config, created_at, completed_at)
                values (?, ?, ?, 'failed', 6, cast(? as jsonb), now() - interval '1 day', now() - interval '1 day')""")
            .params(lowJob, restaurant, organisation, "{\"account\": {\"password\": \"Cl3ar-Low\"}}")
            .update();

        legacyPasswords.run(null);

        assertThat(allStoredText(jobId)).doesNotContain("Cl3ar-Legacy-User");
        assertThat(allStoredText(lowJob)).doesNotContain("Cl3ar-Low");
        assertThat(storedPasswords(lowJob)).singleElement().asString().startsWith("enc:v1:");
        assertThat(storedPasswords(jobId)).singleElement().asString().startsWith("enc:v1:test-k1:");
        TestDownstream.reset();
        assertThat(api.postJson("/api/registration/resume-single-restaurant/" + restaurant, token, Map.of()).status())
            .isEqualTo(202);
        assertThat(awaitEndScanning(jobId).get("status").asString()).isEqualTo("completed");
        TestDownstream.server()
            .verify(postRequestedFor(urlPathEqualTo(CREATE_ONBOARDING_USER))
                .withRequestBody(containing("\"userPassword\":\"Cl3ar-Legacy-User\"")));
        assertThat(storedPasswords(jobId)).isEmpty();
    }

    private JsonNode awaitEndScanning(UUID jobId) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertNoPlaintext(jobId);
            last[0] = jobs.job(jobId);
            return List.of("completed", "failed", "cancelled").contains(last[0].get("status").asString());
        });
        return last[0];
    }

    private void assertNoPlaintext(UUID jobId) {
        assertThat(allStoredText(jobId)).doesNotContain(ACCOUNT_PASSWORD, USER_PASSWORD);
    }

    /** Every column of the job's rows that could hold a password, as text. */
    private String allStoredText(UUID jobId) {
        List<String> texts = new ArrayList<>();
        texts.addAll(jdbc.sql(
                "select concat_ws(' ', execution_config::text, error_message) from registration_jobs" + " where id = ?")
            .param(jobId)
            .query(String.class)
            .list());
        texts.addAll(jdbc
            .sql("select concat_ws(' ', sub_step_progress::text, error_message)"
                    + " from registration_job_steps where registration_job_id = ?")
            .param(jobId)
            .query(String.class)
            .list());
        texts.addAll(jdbc.sql("select concat_ws(' ', type, sub_step, status, error) from registration_job_events"
                + " where registration_job_id = ?")
            .param(jobId)
            .query(String.class)
            .list());
        return String.join("\n", texts);
    }

    private JsonNode formOf(UUID jobId) {
        String json = jdbc.sql("select execution_config::text from registration_jobs where id = ?")
            .param(jobId)
            .query(String.class)
            .single();
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(json);
    }

    private List<String> storedPasswords(UUID jobId) {
        return jdbc.sql("""
                select p from (select execution_config->'account'->>'password' as p from registration_jobs where id = ?
                               union all
                               select execution_config->'onboarding'->>'userPassword' from registration_jobs
                               where id = ?) ps where p is not null""").params(jobId, jobId).query(String.class).list();
    }

}
