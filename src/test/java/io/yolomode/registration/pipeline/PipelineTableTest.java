package io.yolomode.registration.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.yolomode.registration.downstream.DownstreamProperties;
import io.yolomode.registration.job.FormData;
import io.yolomode.registration.progress.RunContext;
import io.yolomode.registration.progress.SubStepStatus;
import io.yolomode.registration.testsupport.StandardPipeline;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pipeline table of docs/design.md section 3, row by row: phase, requirements, when a
 * sub-step runs (else the reason it is skipped), where it calls, what it sends (leaving
 * out what the form left out), and what a successful answer hands to later sub-steps.
 */
class PipelineTableTest {

    private static final Pipeline PIPELINE = StandardPipeline.PIPELINE;

    private static final UUID JOB = UUID.randomUUID();

    private static final UUID ORGANISATION = UUID.randomUUID();

    private static final UUID RESTAURANT = UUID.randomUUID();

    private static final UUID MENU = UUID.randomUUID();

    private static final RunInput.RestaurantSnapshot HARBOUR_GRILL = new RunInput.RestaurantSnapshot(RESTAURANT,
            "Harbour Grill", "grill@example.test", "+64 9 555 0101", "1 Quay St", "Auckland", Map.of("mon", "9-17"));

    // ---- the table
    // ----------------------------------------------------------------------------------------------

    @Test
    void fourPhasesInOrderWithTheirDescriptions() {
        assertThat(PIPELINE.phases()).containsExactly(
                new Pipeline.PhaseDefinition("phase1", "Initial parallel operations"),
                new Pipeline.PhaseDefinition("phase2", "Restaurant registration and configuration"),
                new Pipeline.PhaseDefinition("phase3", "Option sets"),
                new Pipeline.PhaseDefinition("phase4", "Item tags"));
    }

    @Test
    void twelveSubStepsInTheirPhasesWithTheirRequirements() {
        Map<String, String> phases = new LinkedHashMap<>();
        Map<String, List<String>> requires = new LinkedHashMap<>();
        PIPELINE.subSteps().forEach(definition -> {
            phases.put(definition.key(), definition.phase());
            requires.put(definition.key(), definition.requires());
        });

        assertThat(phases).containsExactly(Map.entry("cloudwaitressAccount", "phase1"),
                Map.entry("codeGeneration", "phase1"), Map.entry("createOnboardingUser", "phase1"),
                Map.entry("uploadImages", "phase1"), Map.entry("restaurantRegistration", "phase2"),
                Map.entry("websiteConfig", "phase2"), Map.entry("servicesConfig", "phase2"),
                Map.entry("paymentConfig", "phase2"), Map.entry("menuImport", "phase2"),
                Map.entry("syncOnboardingUser", "phase2"), Map.entry("optionSets", "phase3"),
                Map.entry("itemTags", "phase4"));
        assertThat(requires).containsExactly(Map.entry("cloudwaitressAccount", List.of()),
                Map.entry("codeGeneration", List.of()), Map.entry("createOnboardingUser", List.of()),
                Map.entry("uploadImages", List.of()),
                Map.entry("restaurantRegistration", List.of("cloudwaitressAccount")),
                Map.entry("websiteConfig", List.of("codeGeneration", "restaurantRegistration")),
                Map.entry("servicesConfig", List.of("restaurantRegistration")),
                Map.entry("paymentConfig", List.of("restaurantRegistration")),
                Map.entry("menuImport", List.of("restaurantRegistration")),
                Map.entry("syncOnboardingUser", List.of("createOnboardingUser", "restaurantRegistration")),
                Map.entry("optionSets", List.of("menuImport")), Map.entry("itemTags", List.of("menuImport")));
    }

    @Test
    void everyRequirementIsAnEarlierSubStepOfTheSameOrAnEarlierPhase() {
        List<String> seen = new ArrayList<>();
        for (SubStepDefinition definition : PIPELINE.subSteps()) {
            for (String required : definition.requires()) {
                assertThat(seen).as(definition.key() + " requires " + required).contains(required);
                assertThat(PIPELINE.subStep(required).phase()).isLessThanOrEqualTo(definition.phase());
            }
            seen.add(definition.key());
        }
    }

    @Test
    void onlyAccountCreationWaitsForTheClusterWideRateLimit() {
        assertThat(PIPELINE.subSteps().stream().filter(SubStepDefinition::rateLimited).map(SubStepDefinition::key))
            .containsExactly("cloudwaitressAccount");
        assertThat(PIPELINE.subStep("cloudwaitressAccount").minInterval()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theAccountCreationIntervalSetsItsRateLimitAndMinIntervalsSetAnyRows() {
        Pipeline unlimited = Pipeline.standard(settings(Map.of(), Duration.ZERO, Map.of()));
        Pipeline configured = Pipeline.standard(settings(Map.of(), Duration.ofSeconds(3),
                Map.of("menuImport", Duration.ofSeconds(2), "cloudwaitressAccount", Duration.ofSeconds(7))));

        assertThat(unlimited.subSteps()).noneMatch(SubStepDefinition::rateLimited);
        assertThat(configured.subStep("menuImport").minInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(configured.subStep("cloudwaitressAccount").minInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(configured.subSteps().stream().filter(SubStepDefinition::rateLimited).map(SubStepDefinition::key))
            .containsExactly("cloudwaitressAccount", "menuImport");
    }

    @Test
    void eachSubStepHasItsAnswerDeadlineOptionSetsAndItemTagsAnHourTheRestTheDefault() {
        Pipeline overridden = Pipeline
            .standard(settings(Map.of("itemTags", Duration.ofMinutes(5), "paymentConfig", Duration.ofMillis(400)),
                    Duration.ofSeconds(60), Map.of()));

        assertThat(PIPELINE.subStep("optionSets").timeout()).isEqualTo(Duration.ofMinutes(60));
        assertThat(PIPELINE.subStep("itemTags").timeout()).isEqualTo(Duration.ofMinutes(60));
        assertThat(PIPELINE.subStep("menuImport").timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(overridden.subStep("paymentConfig").timeout()).isEqualTo(Duration.ofMillis(400));
        assertThat(overridden.subStep("itemTags").timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(overridden.subStep("optionSets").timeout()).isEqualTo(Duration.ofMinutes(60));
        assertThat(overridden.subStep("menuImport").timeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void everyRowRetriesByTheDownstreamSettingsUnlessItHasItsOwnRule() {
        assertThat(PIPELINE.subSteps())
            .allSatisfy(row -> assertThat(row.retry()).isEqualTo(RetryRule.of(StandardPipeline.DEFAULTS)));
    }

    @Test
    void subStepsAreFoundByKeyAndByPhase() {
        assertThat(PIPELINE.subStep("menuImport").path().apply(input(fullForm(), Map.of())))
            .isEqualTo("/api/registration/import-menu-direct");
        assertThat(PIPELINE.subStepsOf("phase2").stream().map(SubStepDefinition::key)).containsExactly(
                "restaurantRegistration", "websiteConfig", "servicesConfig", "paymentConfig", "menuImport",
                "syncOnboardingUser");
        assertThat(PIPELINE.subStepsOf("phase4").stream().map(SubStepDefinition::key)).containsExactly("itemTags");
        assertThat(PIPELINE.subStepsOf("phase9")).isEmpty();
        assertThatThrownBy(() -> PIPELINE.subStep("fax")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("no sub-step fax");
    }

    @Test
    void everySubStepCallsItsOwnPath() {
        RunInput in = input(fullForm(), Map.of());
        Map<String, String> paths = new LinkedHashMap<>();
        PIPELINE.subSteps().forEach(definition -> paths.put(definition.key(), definition.path().apply(in)));

        assertThat(paths).containsExactly(Map.entry("cloudwaitressAccount", "/api/registration/register-account"),
                Map.entry("codeGeneration", "/api/registration/generate-code-injections"),
                Map.entry("createOnboardingUser", "/api/registration/create-onboarding-user"),
                Map.entry("uploadImages", "/api/menus/" + MENU + "/upload-images"),
                Map.entry("restaurantRegistration", "/api/registration/register-restaurant"),
                Map.entry("websiteConfig", "/api/registration/configure-website"),
                Map.entry("servicesConfig", "/api/registration/configure-services"),
                Map.entry("paymentConfig", "/api/registration/configure-payment"),
                Map.entry("menuImport", "/api/registration/import-menu-direct"),
                Map.entry("syncOnboardingUser", "/api/registration/update-onboarding-record"),
                Map.entry("optionSets", "/api/registration/add-option-sets"),
                Map.entry("itemTags", "/api/registration/add-item-tags"));
    }

    // ---- when a sub-step runs
    // -----------------------------------------------------------------------------------

    @Test
    void withTheFullFormAndEverythingBeforeCompletedEverySubStepRuns() {
        RunInput in = input(fullForm(), allCompleted());

        PIPELINE.subSteps()
            .forEach(definition -> assertThat(definition.skipReason().apply(in)).as(definition.key()).isEmpty());
    }

    @Test
    void withAnEmptyFormOnlyTheUnconditionalSubStepsRun() {
        RunInput in = input(FormData.empty(), allCompleted());
        Map<String, Optional<String>> reasons = new LinkedHashMap<>();
        PIPELINE.subSteps().forEach(definition -> reasons.put(definition.key(), definition.skipReason().apply(in)));

        assertThat(reasons).containsExactly(Map.entry("cloudwaitressAccount", Optional.empty()),
                Map.entry("codeGeneration", Optional.empty()),
                Map.entry("createOnboardingUser", Optional.of("onboarding.createOnboardingUser is not set")),
                Map.entry("uploadImages", Optional.of("no menu selected")),
                Map.entry("restaurantRegistration", Optional.empty()), Map.entry("websiteConfig", Optional.empty()),
                Map.entry("servicesConfig", Optional.empty()), Map.entry("paymentConfig", Optional.empty()),
                Map.entry("menuImport", Optional.of("no menu selected")),
                Map.entry("syncOnboardingUser", Optional.of("onboarding.syncOnboardingRecord is not set")),
                Map.entry("optionSets", Optional.of("menu.addOptionSets is not set")),
                Map.entry("itemTags", Optional.of("menu.addItemTags is not set")));
    }

    @Test
    void accountCreationIsSkippedOnlyWhenRegisterNewUserIsFalse() {
        assertThat(skipReason("cloudwaitressAccount", account(false), Map.of()))
            .contains("account.registerNewUser is false");
        assertThat(skipReason("cloudwaitressAccount", account(true), Map.of())).isEmpty();
        assertThat(skipReason("cloudwaitressAccount", account(null), Map.of())).isEmpty();
    }

    @Test
    void theOnboardingUserIsCreatedOnlyWhenAskedFor() {
        assertThat(skipReason("createOnboardingUser", onboarding(true, null), Map.of())).isEmpty();
        assertThat(skipReason("createOnboardingUser", onboarding(false, null), Map.of()))
            .contains("onboarding.createOnboardingUser is not set");
    }

    @Test
    void imagesAreUploadedOnlyForASelectedMenuWhenAskedFor() {
        assertThat(skipReason("uploadImages", menu(MENU, true, null, null), Map.of())).isEmpty();
        assertThat(skipReason("uploadImages", menu(MENU, false, null, null), Map.of()))
            .contains("menu.uploadImages is not set");
        assertThat(skipReason("uploadImages", menu(MENU, null, null, null), Map.of()))
            .contains("menu.uploadImages is not set");
        assertThat(skipReason("uploadImages", menu(null, true, null, null), Map.of())).contains("no menu selected");
    }

    @Test
    void theMenuIsImportedOnlyWhenOneIsSelected() {
        assertThat(skipReason("menuImport", menu(MENU, null, null, null), Map.of())).isEmpty();
        assertThat(skipReason("menuImport", menu(null, true, true, true), Map.of())).contains("no menu selected");
    }

    @Test
    void theOnboardingRecordIsSyncedOnlyWhenAskedForAndTheUserWasCreated() {
        FormData sync = onboarding(true, true);
        assertThat(skipReason("syncOnboardingUser", sync, Map.of("createOnboardingUser", SubStepStatus.COMPLETED)))
            .isEmpty();
        assertThat(skipReason("syncOnboardingUser", sync, Map.of("createOnboardingUser", SubStepStatus.SKIPPED)))
            .contains("createOnboardingUser did not complete");
        assertThat(skipReason("syncOnboardingUser", sync, Map.of())).contains("createOnboardingUser did not complete");
        assertThat(skipReason("syncOnboardingUser", onboarding(true, false),
                Map.of("createOnboardingUser", SubStepStatus.COMPLETED)))
            .contains("onboarding.syncOnboardingRecord is not set");
    }

    @Test
    void optionSetsAndItemTagsRunOnlyWhenAskedForAndTheMenuImportCompleted() {
        Map<String, SubStepStatus> imported = Map.of("menuImport", SubStepStatus.COMPLETED);
        Map<String, SubStepStatus> skipped = Map.of("menuImport", SubStepStatus.SKIPPED);

        assertThat(skipReason("optionSets", menu(MENU, null, true, null), imported)).isEmpty();
        assertThat(skipReason("optionSets", menu(MENU, null, true, null), skipped)).contains("menuImport did not run");
        assertThat(skipReason("optionSets", menu(MENU, null, false, true), imported))
            .contains("menu.addOptionSets is not set");
        assertThat(skipReason("itemTags", menu(MENU, null, null, true), imported)).isEmpty();
        assertThat(skipReason("itemTags", menu(MENU, null, null, true), skipped)).contains("menuImport did not run");
        assertThat(skipReason("itemTags", menu(MENU, null, true, null), imported))
            .contains("menu.addItemTags is not set");
    }

    @Test
    void aSubStepCountsAsCompletedOnlyWhenItCompleted() {
        RunInput in = input(FormData.empty(),
                Map.of("a", SubStepStatus.COMPLETED, "b", SubStepStatus.SKIPPED, "c", SubStepStatus.FAILED));

        assertThat(in.completed("a")).isTrue();
        assertThat(in.completed("b")).isFalse();
        assertThat(in.completed("c")).isFalse();
        assertThat(in.completed("d")).isFalse();
        assertThat(in.toString()).isEqualTo("RunInput[job=" + JOB + ", restaurant=" + RESTAURANT + "]");
    }

    // ---- what is sent
    // -------------------------------------------------------------------------------------------

    @Test
    void theFullFormIsSentAsTheTableSays() {
        RunInput in = input(fullForm(), allCompleted());

        assertThat(payload("cloudwaitressAccount", in)).containsExactly(
                Map.entry("restaurantId", RESTAURANT.toString()), Map.entry("email", "owner@example.test"),
                Map.entry("password", "pw-account"), Map.entry("phone", "+64 21 555 0101"));
        assertThat(payload("codeGeneration", in)).containsExactly(Map.entry("restaurantId", RESTAURANT.toString()),
                Map.entry("noGradient", true));
        assertThat(payload("createOnboardingUser", in)).containsExactly(
                Map.entry("restaurantId", RESTAURANT.toString()), Map.entry("userName", "Owner Name"),
                Map.entry("userEmail", "user@example.test"), Map.entry("userPassword", "pw-user"));
        assertThat(payload("uploadImages", in)).isEmpty();
        assertThat(payload("restaurantRegistration", in)).containsExactly(
                Map.entry("restaurantId", RESTAURANT.toString()), Map.entry("registrationType", "new_account"),
                Map.entry("email", "owner@example.test"), Map.entry("password", "pw-account"),
                Map.entry("restaurantName", "Harbour Grill"), Map.entry("address", "1 Quay St"),
                Map.entry("phone", "+64 9 555 0101"), Map.entry("hours", Map.of("mon", "9-17")),
                Map.entry("city", "Auckland"));
        assertThat(payload("websiteConfig", in)).containsExactly(Map.entry("restaurantId", RESTAURANT.toString()),
                Map.entry("codeInjectionId", "ci-42"),
                Map.entry("headerConfig", Map.of("enabled", true, "backgroundSource", "logo")),
                Map.entry("itemsConfig", Map.of("layout", "grid")),
                Map.entry("textColorConfig", Map.of("navText", "#fff", "boxText", "#000")),
                Map.entry("navLogoTintConfig", Map.of("tint", "dark")),
                Map.entry("headerLogoTintConfig", Map.of("tint", "light")));
        assertThat(payload("servicesConfig", in)).containsExactly(Map.entry("restaurantId", RESTAURANT.toString()));
        assertThat(payload("paymentConfig", in)).containsExactly(Map.entry("restaurantId", RESTAURANT.toString()),
                Map.entry("includeConnectLink", true));
        assertThat(payload("menuImport", in)).containsExactly(Map.entry("restaurantId", RESTAURANT.toString()),
                Map.entry("menuId", MENU.toString()));
        assertThat(payload("syncOnboardingUser", in)).containsExactly(Map.entry("restaurantId", RESTAURANT.toString()),
                Map.entry("userEmail", "user@example.test"), Map.entry("contactPerson", "Owner Name"));
        assertThat(payload("optionSets", in)).containsExactly(Map.entry("restaurantId", RESTAURANT.toString()),
                Map.entry("menuId", MENU.toString()));
        assertThat(payload("itemTags", in)).containsExactly(Map.entry("restaurantId", RESTAURANT.toString()),
                Map.entry("menuId", MENU.toString()));
    }

    @Test
    void whatTheFormLeavesOutIsLeftOutOfTheCall() {
        RunInput in = new RunInput(JOB, ORGANISATION,
                new RunInput.RestaurantSnapshot(RESTAURANT, "Bare", null, null, null, null, null), FormData.empty(),
                RunContext.empty(), Map.of());

        assertThat(payload("cloudwaitressAccount", in))
            .containsExactly(Map.entry("restaurantId", RESTAURANT.toString()));
        assertThat(payload("codeGeneration", in)).containsExactly(Map.entry("restaurantId", RESTAURANT.toString()),
                Map.entry("noGradient", false));
        assertThat(payload("restaurantRegistration", in))
            .containsExactly(Map.entry("restaurantId", RESTAURANT.toString()), Map.entry("restaurantName", "Bare"));
        assertThat(payload("websiteConfig", in)).containsExactly(Map.entry("restaurantId", RESTAURANT.toString()),
                Map.entry("headerConfig", Map.of()), Map.entry("itemsConfig", Map.of()),
                Map.entry("textColorConfig", Map.of()));
        assertThat(payload("paymentConfig", in)).containsExactly(Map.entry("restaurantId", RESTAURANT.toString()),
                Map.entry("includeConnectLink", false));
        assertThat(payload("menuImport", in)).containsExactly(Map.entry("restaurantId", RESTAURANT.toString()));
    }

    // ---- what an answer hands on
    // --------------------------------------------------------------------------------

    @Test
    void codeGenerationHandsItsInjectionToLaterSubSteps() {
        RunContext before = context("onboardingUserCreated", true, "menuImportSucceeded", true);

        RunContext after = PIPELINE.subStep("codeGeneration")
            .contextUpdate()
            .apply(before,
                    Map.of("codeInjectionId", 42, "generatedAt", 1732800002000L, "filePaths", List.of("head.html", 7)));

        assertThat(after).isEqualTo(context("codeInjectionId", "42", "generatedAt", 1732800002000L, "filePaths",
                List.of("head.html", "7"), "onboardingUserCreated", true, "menuImportSucceeded", true));
        assertThat(PIPELINE.subStep("codeGeneration").contextUpdate().apply(before, Map.of("filePaths", "one")))
            .isEqualTo(context("onboardingUserCreated", true, "menuImportSucceeded", true));
    }

    @Test
    void theOnboardingUserAndTheMenuImportAreRememberedWhenTheyComplete() {
        RunContext before = context("codeInjectionId", "ci-1", "generatedAt", 5L, "filePaths", List.of("a"));

        assertThat(PIPELINE.subStep("createOnboardingUser").contextUpdate().apply(before, Map.of()))
            .isEqualTo(context("codeInjectionId", "ci-1", "generatedAt", 5L, "filePaths", List.of("a"),
                    "onboardingUserCreated", true));
        assertThat(PIPELINE.subStep("menuImport").contextUpdate().apply(before, Map.of())).isEqualTo(context(
                "codeInjectionId", "ci-1", "generatedAt", 5L, "filePaths", List.of("a"), "menuImportSucceeded", true));
    }

    @Test
    void theOtherSubStepsLeaveTheContextAsItWas() {
        RunContext before = context("codeInjectionId", "ci-1", "generatedAt", 5L, "filePaths", List.of("a"),
                "onboardingUserCreated", true, "menuImportSucceeded", false);
        for (String key : List.of("cloudwaitressAccount", "uploadImages", "restaurantRegistration", "websiteConfig",
                "servicesConfig", "paymentConfig", "syncOnboardingUser", "optionSets", "itemTags")) {
            assertThat(PIPELINE.subStep(key).contextUpdate().apply(before, Map.of("codeInjectionId", "other"))).as(key)
                .isSameAs(before);
        }
    }

    @Test
    void aBodyLeavesOutNullsAndWritesIdsAsText() {
        Map<String, Object> body = Pipeline.body("a", null, "b", RESTAURANT, "c", 3);

        assertThat(body).containsExactly(Map.entry("b", RESTAURANT.toString()), Map.entry("c", 3));
    }

    // ---- helpers
    // ------------------------------------------------------------------------------------------------

    private static Optional<String> skipReason(String key, FormData form, Map<String, SubStepStatus> statuses) {
        return PIPELINE.subStep(key).skipReason().apply(input(form, statuses));
    }

    private static Map<String, Object> payload(String key, RunInput in) {
        return PIPELINE.subStep(key).payload().apply(in);
    }

    private static RunInput input(FormData form, Map<String, SubStepStatus> statuses) {
        return new RunInput(JOB, ORGANISATION, HARBOUR_GRILL, form,
                context("codeInjectionId", "ci-42", "generatedAt", 1732800002000L, "filePaths", List.of("head.html")),
                statuses);
    }

    private static Map<String, SubStepStatus> allCompleted() {
        Map<String, SubStepStatus> statuses = new HashMap<>();
        PIPELINE.subSteps().forEach(definition -> statuses.put(definition.key(), SubStepStatus.COMPLETED));
        return statuses;
    }

    private static FormData fullForm() {
        return new FormData(new FormData.Account(true, "owner@example.test", "pw-account", "+64 21 555 0101", null),
                new FormData.RestaurantDetails("new_account", null, null, null, null, null, null),
                new FormData.Menu(MENU, true, true, true, null),
                new FormData.Website(true, true, "logo", "grid", "#fff", "#000", Map.of("tint", "dark"),
                        Map.of("tint", "light"), null),
                new FormData.Payment(true, null),
                new FormData.Onboarding(true, true, "Owner Name", "user@example.test", "pw-user", null), null);
    }

    private static FormData account(Boolean registerNewUser) {
        return new FormData(new FormData.Account(registerNewUser, null, null, null, null), null, null, null, null, null,
                null);
    }

    private static FormData onboarding(Boolean create, Boolean sync) {
        return new FormData(null, null, null, null, null, new FormData.Onboarding(create, sync, null, null, null, null),
                null);
    }

    private static FormData menu(UUID menuId, Boolean uploadImages, Boolean addOptionSets, Boolean addItemTags) {
        return new FormData(null, null, new FormData.Menu(menuId, uploadImages, addOptionSets, addItemTags, null), null,
                null, null, null);
    }

    private static DownstreamProperties settings(Map<String, Duration> responseTimeouts,
            Duration accountCreationMinInterval, Map<String, Duration> minIntervals) {
        return new DownstreamProperties("http://localhost:1", "", Duration.ofSeconds(5), 10, Duration.ofMinutes(10),
                responseTimeouts, 3, Duration.ofSeconds(2), 2, Duration.ofSeconds(60), Duration.ofMinutes(10),
                DataSize.ofKilobytes(16), accountCreationMinInterval, minIntervals);
    }

    /** A run context from names and values, as the document stores it. */
    private static RunContext context(Object... namesAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return RunContext.of(values);
    }

}
