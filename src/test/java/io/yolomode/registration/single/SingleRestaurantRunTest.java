package io.yolomode.registration.single;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestDownstream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.yolomode.registration.testsupport.SingleJobs.subStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whole single-restaurant runs through real HTTP against a WireMock registration API:
 * what is called, with what, in which order, and what a poll shows during and after.
 */
@ExtendWith(OutputCaptureExtension.class)
class SingleRestaurantRunTest extends CallerTestSupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final List<String> ALL_SUB_STEPS = List.of("cloudwaitressAccount", "codeGeneration",
            "createOnboardingUser", "uploadImages", "restaurantRegistration", "websiteConfig", "servicesConfig",
            "paymentConfig", "menuImport", "syncOnboardingUser", "optionSets", "itemTags");

    private static final int SLOW_MILLIS = 700;

    private static final int UPLOAD_MILLIS = 2000;

    UUID restaurant;

    UUID menu;

    @BeforeEach
    void setUp() {
        restaurant = data.restaurant(organisation, "Full Run Bistro");
        menu = data.menu(restaurant, "Dinner");
    }

    @Test
    void fullRunCallsEveryEndpointOnceWithItsPayloadAndHeaders(CapturedOutput output) {
        // The last sub-step to end in phases 1, 2 and 3 answers late, so that a phase
        // which started when the
        // previous one was dispatched (rather than ended) shows in the call times. In
        // phase 1 the late one is
        // uploadImages, which nothing requires, and it is later than
        // cloudwaitressAccount's turn at the cluster-wide
        // rate limit could ever make that one, so phase 2 could only start early if
        // phases overlapped.
        TestDownstream.stub(post(urlPathEqualTo("/api/menus/" + menu + "/upload-images")).atPriority(1)
            .willReturn(TestDownstream.okJson("{\"success\": true}").withFixedDelay(UPLOAD_MILLIS)));
        TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", SLOW_MILLIS);
        TestDownstream.succeedAfter(restaurant, "/api/registration/add-option-sets", SLOW_MILLIS);
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        JsonNode progress = jobs.awaitEnd(jobId);

        assertThat(progress.get("status").asString()).isEqualTo("completed");
        List<LoggedRequest> calls = TestDownstream.callsOf(jobId);
        assertThat(calls).hasSize(12);
        assertThat(calls).extracting(call -> call.getHeader("Idempotency-Key"))
            .containsExactlyInAnyOrderElementsOf(ALL_SUB_STEPS.stream().map(key -> jobId + ":" + key).toList());
        for (LoggedRequest call : calls) {
            assertThat(call.getHeader("X-Service-Key")).isEqualTo(TestDownstream.SERVICE_KEY);
            assertThat(call.getHeader("X-Organisation-ID")).isEqualTo(organisation.toString());
            assertThat(UUID.fromString(call.getHeader("X-Request-ID"))).isNotNull();
            assertThat(call.getHeader("Content-Type")).startsWith("application/json");
            assertThat(call.getHeader("Authorization")).isNull();
        }

        // Transitions that came together may share a write, but the history keeps every
        // one, in order, with one
        // sequence per entry and no gaps: each called sub-step started, then completed.
        List<String> history = jdbc.sql("""
                select coalesce(sub_step, type) || ':' || coalesce(status, '') from registration_job_events
                where registration_job_id = ? order by sequence""").param(jobId).query(String.class).list();
        assertThat(jdbc.sql("""
                select count(*) = max(sequence) - min(sequence) + 1
                       and max(sequence) = (select version from registration_jobs where id = ?)
                from registration_job_events where registration_job_id = ?""")
            .params(jobId, jobId)
            .query(Boolean.class)
            .single()).isTrue();
        for (String key : ALL_SUB_STEPS) {
            assertThat(history).containsSubsequence(key + ":in_progress", key + ":completed");
            assertThat(history).filteredOn(entry -> entry.startsWith(key + ":")).hasSize(2);
        }
        assertThat(history.get(history.size() - 1)).isEqualTo("job_finished:completed");

        String id = restaurant.toString();
        assertPayload(jobId, "cloudwaitressAccount", "/api/registration/register-account", Map.of("restaurantId", id,
                "email", "owner@bistro.test", "password", "Acc0unt-Secret!", "phone", "+64 21 555 0100"));
        assertPayload(jobId, "codeGeneration", "/api/registration/generate-code-injections",
                Map.of("restaurantId", id, "noGradient", true));
        assertPayload(jobId, "createOnboardingUser", "/api/registration/create-onboarding-user", Map.of("restaurantId",
                id, "userName", "Olive Owner", "userEmail", "olive@bistro.test", "userPassword", "Onb0arding-Secret!"));
        assertPayload(jobId, "uploadImages", "/api/menus/" + menu + "/upload-images", Map.of());
        assertPayload(jobId, "restaurantRegistration", "/api/registration/register-restaurant",
                Map.of("restaurantId", id, "registrationType", "new_account", "email", "owner@bistro.test", "password",
                        "Acc0unt-Secret!", "restaurantName", "Full Run Bistro", "address", "1 Test Street", "phone",
                        "+64 9 555 0000", "hours", Map.of("monday", "09:00-17:00"), "city", "Testville"));
        assertPayload(jobId, "websiteConfig", "/api/registration/configure-website",
                Map.of("restaurantId", id, "codeInjectionId", "ci-42", "headerConfig",
                        Map.of("enabled", true, "backgroundSource", "hero"), "itemsConfig", Map.of("layout", "grid"),
                        "textColorConfig", Map.of("navText", "#ffffff", "boxText", "#111111"), "navLogoTintConfig",
                        Map.of("enabled", true, "color", "#ff0000"), "headerLogoTintConfig", Map.of("enabled", false)));
        assertPayload(jobId, "servicesConfig", "/api/registration/configure-services", Map.of("restaurantId", id));
        assertPayload(jobId, "paymentConfig", "/api/registration/configure-payment",
                Map.of("restaurantId", id, "includeConnectLink", true));
        assertPayload(jobId, "menuImport", "/api/registration/import-menu-direct",
                Map.of("restaurantId", id, "menuId", menu.toString()));
        assertPayload(jobId, "syncOnboardingUser", "/api/registration/update-onboarding-record",
                Map.of("restaurantId", id, "userEmail", "olive@bistro.test", "contactPerson", "Olive Owner"));
        assertPayload(jobId, "optionSets", "/api/registration/add-option-sets",
                Map.of("restaurantId", id, "menuId", menu.toString()));
        assertPayload(jobId, "itemTags", "/api/registration/add-item-tags",
                Map.of("restaurantId", id, "menuId", menu.toString()));

        assertPhaseOrder(jobId, progress);
        assertFinalDocument(progress);
        assertThat(output.getAll()).doesNotContain("Acc0unt-Secret!").doesNotContain("Onb0arding-Secret!");
    }

    @Test
    void everyConditionSkipsWithAReason() {
        Map<String, Object> form = Map.of("account", Map.of("registerNewUser", false), "onboarding",
                Map.of("createOnboardingUser", false, "syncOnboardingRecord", true));
        UUID jobId = jobs.start(restaurant, form);
        JsonNode progress = jobs.awaitEnd(jobId);

        assertThat(progress.get("status").asString()).isEqualTo("completed");
        assertSkipped(progress, "phase1", "cloudwaitressAccount", "account.registerNewUser is false");
        assertSkipped(progress, "phase1", "createOnboardingUser", "onboarding.createOnboardingUser is not set");
        assertSkipped(progress, "phase1", "uploadImages", "no menu selected");
        assertSkipped(progress, "phase2", "menuImport", "no menu selected");
        assertSkipped(progress, "phase2", "syncOnboardingUser", "createOnboardingUser did not complete");
        assertSkipped(progress, "phase3", "optionSets", "menu.addOptionSets is not set");
        assertSkipped(progress, "phase4", "itemTags", "menu.addItemTags is not set");
        assertThat(TestDownstream.callsOf(jobId)).extracting(call -> call.getHeader("Idempotency-Key"))
            .containsExactlyInAnyOrder(jobId + ":codeGeneration", jobId + ":restaurantRegistration",
                    jobId + ":websiteConfig", jobId + ":servicesConfig", jobId + ":paymentConfig");
    }

    @Test
    void menuFollowUpsSkipWhenTheMenuWasNotImportedAndImagesNeedTheirFlag() {
        Map<String, Object> form = Map.of("menu", Map.of("addOptionSets", true, "addItemTags", true), "onboarding",
                Map.of("createOnboardingUser", true, "syncOnboardingRecord", false));
        UUID jobId = jobs.start(restaurant, form);
        JsonNode progress = jobs.awaitEnd(jobId);

        assertThat(progress.get("status").asString()).isEqualTo("completed");
        assertSkipped(progress, "phase3", "optionSets", "menuImport did not run");
        assertSkipped(progress, "phase4", "itemTags", "menuImport did not run");
        assertSkipped(progress, "phase2", "syncOnboardingUser", "onboarding.syncOnboardingRecord is not set");

        UUID second = new TestData(jdbc).restaurant(organisation, "Images Off");
        UUID secondMenu = new TestData(jdbc).menu(second, "Lunch");
        UUID secondJob = jobs.start(second, Map.of("menu", Map.of("selectedMenuId", secondMenu.toString())));
        JsonNode secondProgress = jobs.awaitEnd(secondJob);
        assertSkipped(secondProgress, "phase1", "uploadImages", "menu.uploadImages is not set");
        assertThat(subStep(secondProgress, "phase2", "menuImport").get("status").asString()).isEqualTo("completed");
    }

    @Test
    void aPollWhileACallIsSlowShowsItInProgressAndTheEarlierOnesCompleted() {
        TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 2500);
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));

        JsonNode during = await().until(() -> jobs.progress(restaurant),
                progress -> "in_progress".equals(subStep(progress, "phase2", "paymentConfig").get("status").asString())
                        && "completed".equals(subStep(progress, "phase2", "servicesConfig").get("status").asString()));

        assertThat(during.get("jobId").asString()).isEqualTo(jobId.toString());
        assertThat(during.get("status").asString()).isEqualTo("in_progress");
        assertThat(during.get("currentPhase").asString()).isEqualTo("phase2");
        assertThat(during.get("phases").get("phase1").get("status").asString()).isEqualTo("completed");
        assertThat(during.get("phases").get("phase2").get("status").asString()).isEqualTo("in_progress");
        assertThat(subStep(during, "phase1", "cloudwaitressAccount").get("status").asString()).isEqualTo("completed");
        assertThat(subStep(during, "phase2", "paymentConfig").get("started_at").isNumber()).isTrue();
        assertThat(subStep(during, "phase3", "optionSets").get("status").asString()).isEqualTo("pending");
        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("completed");
    }

    @Test
    void parallelSubStepsFinishingTogetherAllKeepTheirTransitions() {
        for (String path : List.of("/api/registration/register-account", "/api/registration/generate-code-injections",
                "/api/registration/create-onboarding-user")) {
            TestDownstream.stub(TestDownstream.callOf(restaurant, path)
                .willReturn(TestDownstream.okJson("{\"success\": true, \"codeInjectionId\": \"ci-same\"}")
                    .withFixedDelay(300)));
        }
        TestDownstream.stub(post(urlPathEqualTo("/api/menus/" + menu + "/upload-images")).atPriority(1)
            .willReturn(TestDownstream.okJson("{\"success\": true}").withFixedDelay(300)));
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        JsonNode progress = jobs.awaitEnd(jobId);

        for (String key : List.of("cloudwaitressAccount", "codeGeneration", "createOnboardingUser", "uploadImages")) {
            JsonNode entry = subStep(progress, "phase1", key);
            assertThat(entry.get("status").asString()).as(key).isEqualTo("completed");
            assertThat(entry.get("completed_at").isNumber()).as(key).isTrue();
        }
        List<String> phase1Completions = jdbc.sql("""
                select sub_step from registration_job_events
                where registration_job_id = ? and type = 'sub_step' and status = 'completed'
                  and sub_step in ('cloudwaitressAccount', 'codeGeneration', 'createOnboardingUser', 'uploadImages')""")
            .param(jobId)
            .query(String.class)
            .list();
        assertThat(phase1Completions).hasSize(4);
        assertThat(progress.get("context").get("codeInjectionId").asString()).isEqualTo("ci-same");
    }

    private void assertPayload(UUID jobId, String key, String path, Map<String, Object> expected) {
        List<LoggedRequest> calls = TestDownstream.callsOf(jobId, key);
        assertThat(calls).as(key).hasSize(1);
        assertThat(calls.get(0).getUrl()).isEqualTo(path);
        assertThat(JSON.readTree(calls.get(0).getBodyAsString())).as(key).isEqualTo(JSON.valueToTree(expected));
    }

    /**
     * Each phase's first call arrives only after every sub-step of the phases before it
     * has ended: after the slow call's answer was sent (its arrival plus its delay) and
     * after the recorded {@code completed_at} of each earlier sub-step. A sub-step that
     * requires another of its own phase starts after that one ended.
     */
    private static void assertPhaseOrder(UUID jobId, JsonNode progress) {
        List<LoggedRequest> calls = TestDownstream.callsOf(jobId);
        assertThat(calls).hasSize(12);
        for (int phase = 2; phase <= 4; phase++) {
            int next = phase;
            long firstOfPhase = calls.stream()
                .filter(call -> phaseOf(call) == next)
                .mapToLong(call -> call.getLoggedDate().getTime())
                .min()
                .orElseThrow();
            long earlierEnded = 0;
            for (int earlier = 1; earlier < phase; earlier++) {
                for (JsonNode entry : progress.get("phases").get("phase" + earlier).get("sub_steps")) {
                    earlierEnded = Math.max(earlierEnded, entry.get("completed_at").asLong());
                }
            }
            assertThat(firstOfPhase).as("phase%d's first call after every earlier sub-step ended", phase)
                .isGreaterThanOrEqualTo(earlierEnded);
        }
        String[][] slowLastOfPhase = { { "uploadImages", "2", "" + UPLOAD_MILLIS },
                { "paymentConfig", "3", "" + SLOW_MILLIS }, { "optionSets", "4", "" + SLOW_MILLIS } };
        for (String[] slow : slowLastOfPhase) {
            long answered = TestDownstream.callsOf(jobId, slow[0]).get(0).getLoggedDate().getTime()
                    + Long.parseLong(slow[2]);
            long firstOfNext = calls.stream()
                .filter(call -> phaseOf(call) == Integer.parseInt(slow[1]))
                .mapToLong(call -> call.getLoggedDate().getTime())
                .min()
                .orElseThrow();
            assertThat(firstOfNext).as("phase %s waits for %s's late answer", slow[1], slow[0])
                .isGreaterThanOrEqualTo(answered);
        }
        long registrationEnded = subStep(progress, "phase2", "restaurantRegistration").get("completed_at").asLong();
        for (String dependent : List.of("websiteConfig", "servicesConfig", "paymentConfig", "menuImport",
                "syncOnboardingUser")) {
            assertThat(TestDownstream.callsOf(jobId, dependent).get(0).getLoggedDate().getTime()).as(dependent)
                .isGreaterThanOrEqualTo(registrationEnded);
        }
    }

    private static int phaseOf(LoggedRequest call) {
        String key = call.getHeader("Idempotency-Key").split(":")[1];
        return switch (key) {
            case "cloudwaitressAccount", "codeGeneration", "createOnboardingUser", "uploadImages" -> 1;
            case "optionSets" -> 3;
            case "itemTags" -> 4;
            default -> 2;
        };
    }

    private static void assertFinalDocument(JsonNode progress) {
        assertThat(progress.get("currentPhase").asString()).isEqualTo("phase4");
        assertThat(progress.get("error")).isNull();
        assertThat(progress.get("startedAt").isString()).isTrue();
        assertThat(progress.get("completedAt").isString()).isTrue();
        JsonNode phases = progress.get("phases");
        assertThat(phases.propertyNames()).containsExactly("phase1", "phase2", "phase3", "phase4");
        assertThat(phases.get("phase1").get("description").asString()).isEqualTo("Initial parallel operations");
        for (JsonNode phase : phases) {
            assertThat(phase.get("status").asString()).isEqualTo("completed");
            for (JsonNode entry : phase.get("sub_steps")) {
                assertThat(entry.get("status").asString()).isEqualTo("completed");
                assertThat(entry.get("started_at").isIntegralNumber()).isTrue();
                assertThat(entry.get("completed_at").asLong()).isGreaterThanOrEqualTo(entry.get("started_at").asLong());
                assertThat(entry.get("attempts").asInt()).isEqualTo(1);
                assertThat(entry.has("error")).isFalse();
            }
        }
        assertThat(phases.get("phase2").get("sub_steps").propertyNames()).containsExactlyInAnyOrder(
                "restaurantRegistration", "websiteConfig", "servicesConfig", "paymentConfig", "menuImport",
                "syncOnboardingUser");
        assertThat(subStep(progress, "phase1", "codeGeneration").get("result").get("codeInjectionId").asString())
            .isEqualTo("ci-42");
        JsonNode context = progress.get("context");
        assertThat(context.get("codeInjectionId").asString()).isEqualTo("ci-42");
        assertThat(context.get("filePaths")).hasSize(2);
        assertThat(context.get("onboardingUserCreated").asBoolean()).isTrue();
        assertThat(context.get("menuImportSucceeded").asBoolean()).isTrue();
    }

    private static void assertSkipped(JsonNode progress, String phase, String key, String reason) {
        JsonNode entry = subStep(progress, phase, key);
        assertThat(entry.get("status").asString()).as(key).isEqualTo("skipped");
        assertThat(entry.get("reason").asString()).as(key).isEqualTo(reason);
    }

}
