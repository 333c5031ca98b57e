package io.yolomode.registration.console;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.IntegrationTest;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestDownstream;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's other views in a real browser: the runs list and a job's timeline, a
 * batch of three, the operations view, the polling fallback, and a phone-sized screen.
 */
@IntegrationTest
class ConsoleViewsBrowserTest {

    private static final String CODE_GENERATION = "/api/registration/generate-code-injections";

    private static final String REGISTER_RESTAURANT = "/api/registration/register-restaurant";

    private static final String MENU_IMPORT = "/api/registration/import-menu-direct";

    private static ConsoleBrowser browser;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TestData data;

    UUID organisation;

    String token;

    SingleJobs jobs;

    @BeforeEach
    void setUp() {
        if (browser == null) {
            browser = ConsoleBrowser.start(port);
        }
        browser.resize(1280, 1000);
        TestDownstream.reset();
        data = new TestData(jdbc);
        organisation = data.organisation();
        token = TestTokens.forOrganisation(organisation);
        jobs = new SingleJobs(new ApiClient(port), token);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Test
    void theRunsListFiltersByStatusAndAJobShowsItsTimelineWithRetriesAndADurationChart() {
        UUID retried = data.restaurant(organisation, "Retry Diner");
        UUID failing = data.restaurant(organisation, "Failing Bistro");
        UUID failingMenu = data.menu(failing, "Lunch");
        TestDownstream.answersInTurn(retried, CODE_GENERATION, TestDownstream.status(503, "{\"message\": \"busy\"}"),
                TestDownstream.okJson("{\"success\": true, \"codeInjectionId\": \"ci-7\"}"));
        TestDownstream.stub(TestDownstream.callOf(failing, MENU_IMPORT)
            .willReturn(TestDownstream.status(422, "{\"success\": false, \"message\": \"no items\"}")));
        UUID retriedJob = jobs.start(retried, Map.of("menu", Map.of()));
        jobs.awaitEnd(retriedJob);
        UUID failedJob = jobs.start(failing, Map.of("menu", Map.of("selectedMenuId", failingMenu.toString())));
        jobs.awaitEnd(failedJob);

        browser.signIn(token);
        browser.visible("[data-restaurant]");
        browser.go("#/runs");
        browser.visible("tr[data-job='" + retriedJob + "'][data-status='completed']");
        // Newest first; the list is read again every few seconds, so compare within one
        // look.
        browser.await(driver -> jobRows().equals(List.of(failedJob.toString(), retriedJob.toString())));
        browser.screenshot("runs");

        new Select(browser.visible("#runs-status")).selectByValue("failed");
        browser.await(driver -> jobRows().equals(List.of(failedJob.toString())));
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/runs?status=failed");

        browser.go("#/jobs/" + retriedJob);
        browser.visible(".timeline .event-retry[data-type='sub_step']");
        assertThat(browser.text(".timeline .event-retry")).contains("Code generation").contains("busy");
        assertThat(browser.all(".timeline .run-start")).extracting(item -> item.getAttribute("data-type"))
            .containsExactly("job_created", "job_started");
        assertThat(browser.all(".timeline .event")
            .get(browser.all(".timeline .event").size() - 1)
            .getAttribute("data-type")).isEqualTo("job_finished");
        assertThat(browser.all(".chart rect.bar-completed[data-substep]")).isNotEmpty();
        assertThat(browser.text("h1")).contains("Retry Diner");
        browser.screenshot("job-timeline");
    }

    @Test
    void aBatchOfThreeIsCreatedFromOneFormAndWatchedToItsEnd() {
        List<UUID> restaurants = List.of(data.restaurant(organisation, "Batch One"),
                data.restaurant(organisation, "Batch Two"), data.restaurant(organisation, "Batch Three"));
        data.restaurant(organisation, "Not In The Batch");
        for (UUID restaurant : restaurants) {
            data.menu(restaurant, "Menu of " + restaurant);
            TestDownstream.succeedAfter(restaurant, REGISTER_RESTAURANT, 4000);
        }
        browser.signIn(token);
        browser.visible("[data-restaurant]");
        browser.go("#/batches");
        browser.visible("#batch-name").sendKeys("Spring onboarding");
        for (UUID restaurant : restaurants) {
            browser.visible("#batch-pick-" + restaurant).click();
        }
        browser.visible("[data-action='create-batch']").click();

        browser.visible(".batch-jobs tr[data-status='in_progress']");
        browser.screenshot("batch-running");
        assertThat(browser.text("[data-count='total']")).isEqualTo("3");
        browser.visible(".batch-status [data-status='completed']");
        assertThat(browser.text("[data-count='completed']")).isEqualTo("3");
        assertThat(browser.text(".percent")).isEqualTo("100% ended");
        assertThat(browser.all(".batch-jobs tr[data-status='completed']")).hasSize(3);
        assertThat(browser.all("[data-action='cancel-batch']")).isEmpty();
        UUID batchId = jdbc.sql("select id from registration_batch_jobs where organisation_id = ?")
            .param(organisation)
            .query(UUID.class)
            .single();
        assertThat(jdbc
            .sql("select count(*) from registration_jobs where batch_job_id = ? and execution_config "
                    + "-> 'menu' ->> 'selectedMenuId' is not null")
            .param(batchId)
            .query(Long.class)
            .single()).isEqualTo(3);

        browser.all(".batch-jobs a").get(0).click();
        browser.visible(".timeline .event");
        browser.visible("a[href='#/batches/" + batchId + "']");
    }

    @Test
    void aBatchCanBeCancelledFromItsPage() {
        List<UUID> restaurants = List.of(data.restaurant(organisation, "Slow One"),
                data.restaurant(organisation, "Slow Two"), data.restaurant(organisation, "Slow Three"));
        restaurants.forEach(restaurant -> TestDownstream.succeedAfter(restaurant, REGISTER_RESTAURANT, 20_000));
        browser.signIn(token);
        browser.visible("[data-restaurant]");
        browser.go("#/batches");
        browser.visible("#batch-name").sendKeys("Cancelled batch");
        restaurants.forEach(restaurant -> browser.visible("#batch-pick-" + restaurant).click());
        browser.visible("[data-action='create-batch']").click();
        browser.visible(".batch-jobs tr[data-status='in_progress']");

        browser.visible("[data-action='cancel-batch']").click();
        browser.visible(".batch-status [data-status='cancelled']");
        browser.await(driver -> browser.all(".batch-jobs tr[data-status='cancelled']").size() == 3);
    }

    @Test
    void withoutEventStreamsTheDialogFollowsTheRunByPolling() {
        UUID restaurant = data.restaurant(organisation, "Polling Place");
        // Longer than a poll's interval (2 s), so a poll sees the sub-step under way.
        TestDownstream.succeedAfter(restaurant, REGISTER_RESTAURANT, 3000);
        browser.driver().executeCdpCommand("Network.enable", Map.of());
        browser.driver().executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/events?*")));
        try {
            browser.signIn(token);
            browser.visible("[data-restaurant='" + restaurant + "'] [data-action='open-yolo']").click();
            browser.visible("#yolo-dialog [data-action='execute']").click();
            browser.visible("#yolo-dialog [data-live='polling']");
            browser.visible("#yolo-dialog [data-substep='restaurantRegistration'][data-status='in_progress']");
            browser.visible("#yolo-dialog .job-status [data-status='completed']");
        }
        finally {
            browser.driver().executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
        }
    }

    @Test
    void anOpsTokenSeesTheRunnersFigures() {
        String ops = TestTokens.withClaims(organisation, Duration.ofHours(1), Map.of("role", "ops"));
        browser.signIn(ops);
        browser.visible("#nav-ops").click();
        assertThat(Integer.parseInt(browser.text("[data-detail='capacity']"))).isPositive();
        browser.visible("[data-detail='runnable']");
        browser.screenshot("operations");

        browser.signIn(token);
        browser.visible(".cards");
        assertThat(browser.driver().findElement(By.id("nav-ops")).isDisplayed()).isFalse();
    }

    @Test
    void atThreeHundredSixtyPixelsNothingRunsOffTheScreen() {
        UUID restaurant = data.restaurant(organisation, "Narrow Noodles");
        data.menu(restaurant, "Everything");
        TestDownstream.succeedAfter(restaurant, REGISTER_RESTAURANT, 3000);
        browser.resize(360, 800);
        browser.signIn(token);
        browser.visible("[data-restaurant='" + restaurant + "']");
        assertNoSidewaysScrolling();
        browser.screenshot("restaurants-360");

        browser.visible("[data-restaurant='" + restaurant + "'] [data-action='open-yolo']").click();
        browser.visible("#yolo-dialog [name='account.email']");
        assertNoSidewaysScrolling();
        browser.screenshot("dialog-form-360");
        browser.visible("#yolo-dialog [data-action='execute']").click();
        browser.visible("#yolo-dialog [data-substep='restaurantRegistration'][data-status='in_progress']");
        assertNoSidewaysScrolling();
        browser.screenshot("dialog-run-360");
    }

    private void assertNoSidewaysScrolling() {
        Object overflow = browser.script("""
                const dialog = document.getElementById('yolo-dialog');
                const widest = Math.max(document.documentElement.scrollWidth,
                        dialog.open ? dialog.getBoundingClientRect().right : 0);
                return widest - document.documentElement.clientWidth;""");
        assertThat(((Number) overflow).intValue()).as("pixels beyond the screen's width").isLessThanOrEqualTo(0);
    }

    private List<String> jobRows() {
        return browser.all("tr[data-job]").stream().map(row -> row.getAttribute("data-job")).toList();
    }

}
