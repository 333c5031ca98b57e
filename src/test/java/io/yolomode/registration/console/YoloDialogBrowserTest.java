package io.yolomode.registration.console;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.IntegrationTest;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestDownstream;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's YOLO dialog in a real browser against the running service, with WireMock
 * as the registration API: sign in, execute, phases advancing live, closing and reopening
 * mid-run, a failure and Resume, cancel, and refused tokens.
 */
@IntegrationTest
class YoloDialogBrowserTest {

    private static final String MENU_IMPORT = "/api/registration/import-menu-direct";

    private static final String CODE_GENERATION = "/api/registration/generate-code-injections";

    private static final String REGISTER_RESTAURANT = "/api/registration/register-restaurant";

    private static ConsoleBrowser browser;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    UUID organisation;

    UUID restaurant;

    String token;

    @BeforeEach
    void setUp() {
        if (browser == null) {
            browser = ConsoleBrowser.start(port);
        }
        browser.resize(1280, 1000);
        TestDownstream.reset();
        TestData data = new TestData(jdbc);
        organisation = data.organisation();
        restaurant = data.restaurant(organisation, "Harbour Test Grill");
        data.menu(restaurant, "Dinner");
        token = TestTokens.forOrganisation(organisation);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Test
    void signInExecuteAndWatchThePhasesAdvanceLive() {
        TestDownstream.succeedAfter(restaurant, CODE_GENERATION, 3000);
        TestDownstream.succeedAfter(restaurant, REGISTER_RESTAURANT, 3000);
        browser.signIn(token);
        browser.visible("[data-restaurant='" + restaurant + "'] [data-action='open-yolo']").click();

        browser.visible("#yolo-dialog [name='account.email']").sendKeys("owner@harbour.test");
        browser.visible("#yolo-dialog [name='account.password']").sendKeys("s3cret-password");
        browser.visible("#yolo-dialog [name='onboarding.userPassword']").sendKeys("another-s3cret");
        browser.visible("#yolo-dialog [data-action='execute']").click();

        // Phase 1 runs (code generation is slow) while phase 2 waits, then phase 2 runs:
        // seen as it happens.
        browser.visible("#yolo-dialog [data-phase='phase1'][data-status='in_progress']");
        browser.visible("#yolo-dialog [data-phase='phase2'][data-status='pending']");
        browser.visible("#yolo-dialog [data-substep='codeGeneration'][data-status='in_progress']");
        browser.visible("#yolo-dialog [data-live='stream']");
        browser.screenshot("dialog-mid-run");
        browser.visible("#yolo-dialog [data-phase='phase1'][data-status='completed']");
        browser.visible("#yolo-dialog [data-substep='restaurantRegistration'][data-status='in_progress']");
        browser.visible("#yolo-dialog .job-status [data-status='completed']");

        assertThat(subStepOrder()).containsExactly("cloudwaitressAccount", "codeGeneration", "createOnboardingUser",
                "uploadImages", "restaurantRegistration", "websiteConfig", "servicesConfig", "paymentConfig",
                "menuImport", "syncOnboardingUser", "optionSets", "itemTags");
        assertThat(browser.all("#yolo-dialog .substep[data-status='completed']")).hasSize(12);
        assertThat(browser.text("#yolo-dialog [data-live]")).contains("ended");
        browser.screenshot("dialog-completed");

        // The token stays in this tab's sessionStorage only; no password is left anywhere
        // on the page.
        assertThat(browser.script("return localStorage.length")).isEqualTo(0L);
        assertThat(browser.script("return sessionStorage.getItem('yolo.console.token')")).isEqualTo(token);
        assertThat(browser.driver().getCurrentUrl()).doesNotContain(token);
        assertThat(browser.driver().getPageSource()).doesNotContain("s3cret");
    }

    @Test
    void closingAndReopeningTheDialogMidRunShowsTheSameRunLive() {
        TestDownstream.succeedAfter(restaurant, MENU_IMPORT, 3000);
        // Phases 3 and 4 take 4 s each, so the run is still under way however long
        // closing and reopening take.
        TestDownstream.succeedAfter(restaurant, "/api/registration/add-option-sets", 4000);
        TestDownstream.succeedAfter(restaurant, "/api/registration/add-item-tags", 4000);
        browser.signIn(token);
        browser.visible("[data-restaurant='" + restaurant + "'] [data-action='open-yolo']").click();
        browser.visible("#yolo-dialog [data-action='execute']").click();
        browser.visible("#yolo-dialog [data-substep='menuImport'][data-status='in_progress']");
        String jobLink = browser.text("#yolo-dialog .job-link");

        browser.visible("#yolo-dialog [data-action='close']").click();
        browser.await(
                driver -> Boolean.FALSE.equals(browser.script("return document.getElementById('yolo-dialog').open")));
        // The run goes on without the dialog; its card says so.
        browser.visible("[data-restaurant='" + restaurant + "'][data-status='in_progress']");

        browser.visible("[data-restaurant='" + restaurant + "'] [data-action='open-yolo']").click();
        assertThat(browser.text("#yolo-dialog .job-link")).isEqualTo(jobLink);
        browser.visible("#yolo-dialog .job-status [data-status='in_progress']");
        browser.screenshot("dialog-reopened");
        browser.visible("#yolo-dialog [data-substep='itemTags'][data-status='completed']");
        browser.visible("#yolo-dialog .job-status [data-status='completed']");
    }

    @Test
    void aFailingSubStepShowsItsErrorAndBlockedFollowUpsAndResumeRunsThemAgain() {
        TestDownstream.stub(TestDownstream.callOf(restaurant, MENU_IMPORT)
            .willReturn(TestDownstream.status(422, "{\"success\": false, \"message\": \"menu has no items\"}")));
        browser.signIn(token);
        browser.visible("[data-restaurant='" + restaurant + "'] [data-action='open-yolo']").click();
        browser.visible("#yolo-dialog [data-action='execute']").click();

        WebElement failed = browser.visible("#yolo-dialog [data-substep='menuImport'][data-status='failed']");
        assertThat(failed.getText()).contains("HTTP 422: menu has no items");
        assertThat(browser.text("#yolo-dialog [data-substep='optionSets']")).contains("Blocked by: Menu import");
        assertThat(browser.text("#yolo-dialog .job-error")).contains("menuImport");
        browser.screenshot("dialog-failed");

        TestDownstream.reset();
        browser.visible("#yolo-dialog [data-action='resume']").click();
        browser.visible("#yolo-dialog [data-substep='menuImport'][data-status='completed']");
        browser.visible("#yolo-dialog [data-substep='itemTags'][data-status='completed']");
        browser.visible("#yolo-dialog .job-status [data-status='completed']");
    }

    @Test
    void cancelStopsTheRunAndOffersResume() {
        TestDownstream.succeedAfter(restaurant, MENU_IMPORT, 20_000);
        browser.signIn(token);
        browser.visible("[data-restaurant='" + restaurant + "'] [data-action='open-yolo']").click();
        browser.visible("#yolo-dialog [data-action='execute']").click();
        browser.visible("#yolo-dialog [data-substep='menuImport'][data-status='in_progress']");

        browser.visible("#yolo-dialog [data-action='cancel']").click();
        browser.visible("#yolo-dialog .job-status [data-status='cancelled']");
        assertThat(browser.attribute("#yolo-dialog [data-substep='menuImport']", "data-status")).isEqualTo("cancelled");
        browser.visible("#yolo-dialog [data-action='resume']");
        assertThat(browser.all("#yolo-dialog [data-action='cancel']")).isEmpty();
        browser.screenshot("dialog-cancelled");
    }

    @Test
    void aRunScheduledForLaterWaitsAsPendingAndCanBeCancelled() {
        browser.signIn(token);
        browser.visible("[data-restaurant='" + restaurant + "'] [data-action='open-yolo']").click();
        WebElement startAt = browser.visible("#yolo-dialog [name='scheduledAt']");
        String tomorrow = LocalDateTime.now().plusDays(1).withSecond(0).withNano(0).toString();
        browser.script("arguments[0].value = arguments[1];", startAt, tomorrow);
        browser.visible("#yolo-dialog [data-action='execute']").click();

        assertThat(browser.text("#yolo-dialog .scheduled")).startsWith("Scheduled for");
        browser.visible("#yolo-dialog .job-status [data-status='pending']");
        UUID jobId = jdbc
            .sql("select id from registration_jobs where restaurant_id = ? "
                    + "and scheduled_at > now() + interval '23 hours'")
            .param(restaurant)
            .query(UUID.class)
            .single();
        browser.visible("#yolo-dialog [data-action='cancel']").click();
        browser.visible("#yolo-dialog .job-status [data-status='cancelled']");
        assertThat(TestDownstream.callsOf(jobId)).isEmpty();
    }

    @Test
    void theApisValidationMessagesShowBesideTheirFieldsAndNothingStarts() {
        browser.signIn(token);
        browser.visible("[data-restaurant='" + restaurant + "'] [data-action='open-yolo']").click();
        browser.visible("#yolo-dialog [name='account.email']").sendKeys("not-an-email");
        browser.visible("#yolo-dialog [name='account.password']").sendKeys("s3cret-password");
        browser.visible("#yolo-dialog [data-action='execute']").click();

        WebElement error = browser.visible("#yolo-dialog [name='account.email'] ~ .field-error");
        assertThat(error.getText()).isEqualTo("must be a well-formed email address");
        assertThat(browser.text("#yolo-dialog .form-alert"))
            .contains("formData.account.email: must be a well-formed email address");
        assertThat(browser.attribute("#yolo-dialog [name='account.password']", "value")).isEmpty();
        assertThat(jdbc.sql("select count(*) from registration_jobs where restaurant_id = ?")
            .param(restaurant)
            .query(Long.class)
            .single()).isZero();
    }

    @Test
    void aRejectedTokenStaysOnSignInWithTheReason() {
        browser.signIn(TestTokens.signedWithAnotherSecret(organisation));
        WebElement reason = browser.visible(".signin .alert-error");
        assertThat(reason.getText()).contains("The bearer token is not valid");
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
        browser.screenshot("sign-in-rejected");
    }

    @Test
    void anExpiredTokenSendsThePersonBackToSignInWithTheReason() {
        browser.signIn(token);
        browser.visible("[data-restaurant='" + restaurant + "']");
        String expired = TestTokens.withClaims(organisation, Duration.ofMinutes(-5), Map.of());
        browser.script("sessionStorage.setItem('yolo.console.token', arguments[0]);", expired);

        browser.go("#/runs");
        assertThat(browser.text(".signin .alert-error")).contains("The bearer token has expired");
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void theSignInLinkTakesTheTokenFromTheFragmentAndLeavesItOutOfTheAddress() {
        browser.openSignedOut();
        browser.driver().get("http://localhost:" + port + "/#token=" + token);
        browser.visible("[data-restaurant='" + restaurant + "']");
        assertThat(browser.driver().getCurrentUrl()).endsWith("/#/restaurants").doesNotContain(token);
    }

    private List<String> subStepOrder() {
        return browser.all("#yolo-dialog .substep").stream().map(item -> item.getAttribute("data-substep")).toList();
    }

}
