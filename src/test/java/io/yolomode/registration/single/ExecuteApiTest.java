package io.yolomode.registration.single;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestDownstream;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The execute, progress, resume and job endpoints as the dialog and curl users call them:
 * one job per restaurant however often and however concurrently it is asked for, and a
 * clear 4xx that changes nothing for every bad input.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExecuteApiTest extends CallerTestSupport {

    private static final String EXECUTE = "/api/registration/execute-single-restaurant";

    UUID restaurant;

    UUID menu;

    @BeforeEach
    void setUp() {
        restaurant = data.restaurant(organisation, "Execute Eatery");
        menu = data.menu(restaurant, "Dinner");
    }

    @Test
    void acceptedJobAnswers202WithLocationAndAPollFindsIt() {
        ApiClient.Response response = jobs.execute(restaurant, SingleJobs.fullForm(menu));

        assertThat(response.status()).isEqualTo(202);
        JsonNode body = response.json();
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("status").asString()).isEqualTo("pending");
        assertThat(body.has("alreadyRunning")).isFalse();
        assertThat(body.propertyNames()).containsExactly("success", "jobId", "status");
        UUID jobId = UUID.fromString(body.get("jobId").asString());
        assertThat(response.header("Location")).isEqualTo("/api/registration/jobs/" + jobId);
        assertThat(jobs.progress(restaurant).get("jobId").asString()).isEqualTo(jobId.toString());
        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("completed");
        assertThat(jdbc.sql("select batch_job_id is null from registration_jobs where id = ?")
            .param(jobId)
            .query(Boolean.class)
            .single()).isTrue();
    }

    @Test
    void aSecondPostWhileRunningAnswersTheSameJobAndResetsNothing() {
        TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 4000);
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        // Wait until only the slow call is under way, so that nothing but the second POST
        // could change the rows.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode phase2 = jobs.progress(restaurant).get("phases").get("phase2").get("sub_steps");
            return "in_progress".equals(phase2.get("paymentConfig").get("status").asString())
                    && List.of("websiteConfig", "servicesConfig", "menuImport", "syncOnboardingUser")
                        .stream()
                        .allMatch(key -> "completed".equals(phase2.get(key).get("status").asString()));
        });
        Map<String, Object> before = storedRows(jobId);

        ApiClient.Response second = jobs.execute(restaurant, Map.of("account", Map.of("registerNewUser", false)));

        Map<String, Object> after = storedRows(jobId);
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.json().get("jobId").asString()).isEqualTo(jobId.toString());
        assertThat(second.json().get("alreadyRunning").asBoolean()).isTrue();
        assertThat(second.json().get("success").asBoolean()).isTrue();
        assertThat(second.json().get("status").asString()).isEqualTo("in_progress");
        assertThat(second.json().propertyNames()).containsExactly("success", "jobId", "status", "alreadyRunning");
        assertThat(after).as("the job's form, progress, version and schedule are as before the second POST")
            .isEqualTo(before);
        assertThat((String) after.get("execution_config")).doesNotContain("registerNewUser");
        assertThat(jdbc.sql("select count(*) from registration_job_events where registration_job_id = ? and type = ?")
            .params(jobId, "job_queued")
            .query(Long.class)
            .single()).isZero();
        JsonNode done = jobs.awaitEnd(jobId);
        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(SingleJobs.subStep(done, "phase1", "cloudwaitressAccount").get("status").asString())
            .isEqualTo("completed");
        assertThat(TestDownstream.callsOf(jobId)).hasSize(12);
    }

    @Test
    void twentyConcurrentPostsForOneRestaurantMakeOneJob(CapturedOutput output) throws Exception {
        UUID fresh = data.restaurant(organisation, "Race Diner");
        // The job must still be running when the last POST arrives: a restaurant whose
        // job completed gets a new one.
        TestDownstream.succeedAfter(fresh, "/api/registration/generate-code-injections", 3000);
        int posters = 20;
        CyclicBarrier startTogether = new CyclicBarrier(posters);
        ExecutorService pool = Executors.newFixedThreadPool(posters);
        List<Callable<TimedResponse>> posts = new ArrayList<>();
        for (int i = 0; i < posters; i++) {
            posts.add(() -> {
                startTogether.await(30, TimeUnit.SECONDS);
                long sent = System.nanoTime();
                ApiClient.Response response = jobs.execute(fresh, Map.of());
                return new TimedResponse(response, sent, System.nanoTime());
            });
        }
        List<TimedResponse> timed = new ArrayList<>();
        for (Future<TimedResponse> future : pool.invokeAll(posts)) {
            timed.add(future.get());
        }
        pool.shutdown();
        List<ApiClient.Response> responses = timed.stream().map(TimedResponse::response).toList();

        assertThat(responses).hasSize(posters)
            .allSatisfy(response -> assertThat(response.status()).as(response.toString()).isIn(200, 202));
        String jobId = responses.get(0).json().get("jobId").asString();
        assertThat(responses).extracting(response -> response.json().get("jobId").asString()).containsOnly(jobId);
        assertThat(responses).filteredOn(response -> response.status() == 202)
            .hasSize(1)
            .allSatisfy(response -> assertThat(response.json().has("alreadyRunning")).isFalse());
        assertThat(responses).filteredOn(response -> response.status() == 200)
            .hasSize(posters - 1)
            .allSatisfy(response -> assertThat(response.json().get("alreadyRunning").asBoolean()).isTrue());
        // The POSTs overlapped: many were sent before the first answer came back, so they
        // raced for the job.
        long firstAnswer = timed.stream().mapToLong(TimedResponse::answeredAt).min().orElseThrow();
        assertThat(timed.stream().filter(post -> post.sentAt() < firstAnswer).count()).isGreaterThanOrEqualTo(2);
        assertThat(jdbc.sql("select count(*) from registration_jobs where restaurant_id = ?")
            .param(fresh)
            .query(Long.class)
            .single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from registration_job_events where registration_job_id = ? and type = ?")
            .params(UUID.fromString(jobId), "job_created")
            .query(Long.class)
            .single()).isEqualTo(1);
        assertThat(output.getAll()).doesNotContain("DataIntegrityViolation");
        jobs.awaitEnd(UUID.fromString(jobId));
    }

    @Test
    void aCompletedRestaurantGetsANewJobThatCallsEverythingAgain() {
        UUID first = jobs.start(restaurant, Map.of());
        assertThat(jobs.awaitEnd(first).get("status").asString()).isEqualTo("completed");

        UUID second = jobs.start(restaurant, Map.of());

        assertThat(second).isNotEqualTo(first);
        assertThat(jobs.awaitEnd(second).get("status").asString()).isEqualTo("completed");
        assertThat(TestDownstream.callsOf(second)).extracting(call -> call.getHeader("Idempotency-Key"))
            .containsExactlyInAnyOrderElementsOf(TestDownstream.callsOf(first)
                .stream()
                .map(call -> call.getHeader("Idempotency-Key").replace(first.toString(), second.toString()))
                .toList())
            .hasSize(6);
    }

    @Test
    void restartTrueCallsEverySubStepAgainInANewGenerationAndForgetsTheRunContext() {
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/configure-payment")
            .willReturn(TestDownstream.status(400, "{\"message\": \"no\"}")));
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        JsonNode failed = jobs.awaitEnd(jobId);
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("context").get("onboardingUserCreated").asBoolean()).isTrue();
        assertThat(failed.get("context").get("menuImportSucceeded").asBoolean()).isTrue();
        TestDownstream.reset();
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/generate-code-injections")
            .willReturn(TestDownstream.okJson("{\"success\": true, \"codeInjectionId\": \"ci-restarted\"}")));

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("restaurantId", restaurant.toString());
        // No onboarding user and no menu this time: what the first run learnt must not
        // carry over.
        body.put("formData", Map.of("onboarding", Map.of("syncOnboardingRecord", true)));
        body.put("restart", true);
        ApiClient.Response response = api.postJson(EXECUTE, token, body);

        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        assertThat(response.json().get("jobId").asString()).isEqualTo(jobId.toString());
        JsonNode done = jobs.awaitEnd(jobId);
        assertThat(done.get("status").asString()).isEqualTo("completed");
        // Every sub-step that completed in the first run is called again, each with its
        // second generation's key.
        assertThat(TestDownstream.callsOf(jobId)).extracting(call -> call.getHeader("Idempotency-Key"))
            .containsExactlyInAnyOrder(jobId + ":cloudwaitressAccount:2", jobId + ":codeGeneration:2",
                    jobId + ":restaurantRegistration:2", jobId + ":websiteConfig:2", jobId + ":servicesConfig:2",
                    jobId + ":paymentConfig:2");
        JsonNode context = done.get("context");
        assertThat(context.get("codeInjectionId").asString()).isEqualTo("ci-restarted");
        assertThat(context.path("onboardingUserCreated").asBoolean(false)).isFalse();
        assertThat(context.path("menuImportSucceeded").asBoolean(false)).isFalse();
        assertThat(SingleJobs.subStep(done, "phase2", "syncOnboardingUser").get("reason").asString())
            .isEqualTo("createOnboardingUser did not complete");
    }

    @Test
    void resumeRunsTheFailedJobFromWhereItStopped() {
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/configure-payment")
            .willReturn(TestDownstream.status(400, "{\"message\": \"no\"}")));
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("failed");
        TestDownstream.reset();

        ApiClient.Response resume = api.postJson("/api/registration/resume-single-restaurant/" + restaurant, token,
                Map.of());

        assertThat(resume.status()).isEqualTo(202);
        assertThat(resume.json().get("jobId").asString()).isEqualTo(jobId.toString());
        assertThat(resume.json().get("resumingFrom").asString()).isEqualTo("phase2");
        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("completed");
        // Failed, so called again in a new generation: a new key.
        assertThat(TestDownstream.callsOf(jobId)).extracting(call -> call.getHeader("Idempotency-Key"))
            .containsExactly(jobId + ":paymentConfig:2");
        ApiClient.Response again = api.postJson("/api/registration/resume-single-restaurant/" + restaurant, token,
                Map.of());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("success").asBoolean()).isFalse();
    }

    @Test
    void resumeWithoutAnyJobIsNotFoundAndWhileRunningIsAConflict() {
        assertThat(api.postJson("/api/registration/resume-single-restaurant/" + restaurant, token, Map.of()).status())
            .isEqualTo(404);
        TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 1000);
        UUID jobId = jobs.start(restaurant, Map.of());

        ApiClient.Response conflict = api.postJson("/api/registration/resume-single-restaurant/" + restaurant, token,
                Map.of());

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("error").asString()).contains(jobId.toString());
        jobs.awaitEnd(jobId);
    }

    @Test
    void progressOfARestaurantWithoutJobsIsNotStarted() {
        JsonNode progress = jobs.progress(restaurant);

        assertThat(progress.get("status").asString()).isEqualTo("not_started");
        assertThat(progress.has("jobId")).isFalse();
    }

    @Test
    void anotherOrganisationSeesNeitherTheRestaurantNorTheJob() {
        UUID jobId = jobs.start(restaurant, Map.of());
        String intruder = TestTokens.forOrganisation(data.organisation());

        assertThat(api.get("/api/registration/jobs/" + jobId, intruder).status()).isEqualTo(404);
        assertThat(api.get("/api/registration/single-restaurant-progress/" + restaurant, intruder).status())
            .isEqualTo(404);
        assertThat(
                api.postJson("/api/registration/resume-single-restaurant/" + restaurant, intruder, Map.of()).status())
            .isEqualTo(404);
        assertThat(new SingleJobs(api, intruder).execute(restaurant, Map.of()).status()).isEqualTo(404);
        jobs.awaitEnd(jobId);
    }

    @Test
    void badInputsAreClearProblemsAndWriteNothing(CapturedOutput output) {
        UUID otherRestaurant = data.restaurant(data.organisation(), "Not Yours");
        UUID otherMenu = data.menu(data.restaurant(organisation, "Sibling"), "Their Menu");
        String big = "{\"restaurantId\": \"" + restaurant + "\", \"formData\": {\"notes\": \"" + "x".repeat(300 * 1024)
                + "\"}}";

        assertBadRequest(api.postJson(EXECUTE, token, Map.of("formData", Map.of())), 400, "restaurantId");
        assertBadRequest(api.postJson(EXECUTE, token, "{\"restaurantId\": \"nope\", \"formData\": {}}"), 400,
                "restaurantId");
        assertBadRequest(api.postJson(EXECUTE, token,
                Map.of("restaurantId", UUID.randomUUID().toString(), "formData", Map.of())), 404, "not found");
        assertBadRequest(
                api.postJson(EXECUTE, token, Map.of("restaurantId", otherRestaurant.toString(), "formData", Map.of())),
                404, "not found");
        assertBadRequest(api.postJson(EXECUTE, token,
                "{\"restaurantId\": \"" + restaurant + "\", \"formData\": \"everything\"}"), 400, "formData");
        assertBadRequest(api.postJson(EXECUTE, token, Map.of("restaurantId", restaurant.toString())), 400, "formData");
        assertBadRequest(
                api.postJson(EXECUTE, token,
                        "{\"restaurantId\": \"" + restaurant
                                + "\", \"formData\": {\"menu\": {\"addOptionSets\": \"lots\"}}}"),
                400, "formData.menu.addOptionSets");
        assertBadRequest(api.postJson(EXECUTE, token, "{\"restaurantId\": \"" + restaurant
                + "\", \"formData\": {\"account\": {\"email\": \"not-an-email\", \"password\": \"Bad-Input-Secret\"}}}"),
                400, "formData.account.email");
        assertBadRequest(
                api.postJson(EXECUTE, token,
                        Map.of("restaurantId", restaurant.toString(), "formData",
                                Map.of("menu", Map.of("selectedMenuId", otherMenu.toString())))),
                400, "selectedMenuId");
        assertBadRequest(api.send("POST", EXECUTE, token, "application/json", big), 413, "larger than");
        assertBadRequest(api.send("POST", EXECUTE, token, "application/json", "{\"restaurantId\": "), 400, "JSON");
        assertBadRequest(api.send("POST", EXECUTE, token, "text/plain", "hello"), 415, "");
        assertBadRequest(
                api.postJson(EXECUTE, null, Map.of("restaurantId", restaurant.toString(), "formData", Map.of())), 401,
                "token");
        assertBadRequest(api.get("/api/registration/jobs/not-a-uuid", token), 400, "UUID");

        assertThat(jdbc.sql("select count(*) from registration_jobs where organisation_id = ?")
            .param(organisation)
            .query(Long.class)
            .single()).isZero();
        assertThat(output.getAll()).doesNotContain("Bad-Input-Secret");
    }

    @Test
    void unknownFormFieldsAreKeptAndPasswordsNeverComeBack(CapturedOutput output) {
        Map<String, Object> form = new LinkedHashMap<>(SingleJobs.fullForm(menu));
        form.put("dialogVersion", "2.3");
        UUID jobId = jobs.start(restaurant, form);
        JsonNode done = jobs.awaitEnd(jobId);

        assertThat(jdbc.sql("select execution_config ->> 'dialogVersion' from registration_jobs where id = ?")
            .param(jobId)
            .query(String.class)
            .single()).isEqualTo("2.3");
        assertThat(done.toString()).doesNotContain("Acc0unt-Secret!").doesNotContain("Onb0arding-Secret!");
        assertThat(jobs.progress(restaurant).toString()).doesNotContain("Secret!");
        assertThat(output.getAll()).doesNotContain("Acc0unt-Secret!").doesNotContain("Onb0arding-Secret!");
    }

    /**
     * The job's row and its progress row as stored, to compare before and after a
     * request.
     */
    private Map<String, Object> storedRows(UUID jobId) {
        Map<String, Object> rows = new LinkedHashMap<>(jdbc.sql("""
                select execution_config::text as execution_config, status, version, scheduled_at, updated_at,
                       started_at, error_message
                from registration_jobs where id = ?""").param(jobId).query().singleRow());
        rows.putAll(jdbc.sql("""
                select sub_step_progress::text as sub_step_progress, status as step_status,
                       updated_at as step_updated_at
                from registration_job_steps where registration_job_id = ?""").param(jobId).query().singleRow());
        rows.put("events",
                jdbc.sql("select count(*) from registration_job_events where registration_job_id = ?")
                    .param(jobId)
                    .query(Long.class)
                    .single());
        return rows;
    }

    private record TimedResponse(ApiClient.Response response, long sentAt, long answeredAt) {
    }

    private static void assertBadRequest(ApiClient.Response response, int status, String messagePart) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as(response.toString()).startsWith("application/problem+json");
        JsonNode body = response.json();
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("error").asString()).as(response.toString()).containsIgnoringCase(messagePart);
        assertThat(response.body()).doesNotContain("Bad-Input-Secret");
    }

}
