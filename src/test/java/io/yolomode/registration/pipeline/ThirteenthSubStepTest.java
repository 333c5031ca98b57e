package io.yolomode.registration.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.yolomode.registration.downstream.DownstreamProperties;
import io.yolomode.registration.testsupport.ServiceInstance;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestDatabase;
import io.yolomode.registration.testsupport.TestDownstream;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new sub-step is one row: a 13th, defined here in the test sources only, runs end to
 * end through the public API against the stub. It sits in phase 4, requires menuImport,
 * reads codeGeneration's injection from the run context and adds a value of its own, and
 * has its own timeout, retry rule and rate limit; its rate limit's row in the database is
 * created when it is first needed. Its instance runs on a database of its own, so that no
 * other test's runner, which knows only twelve sub-steps, takes its jobs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThirteenthSubStepTest {

    static final String KEY = "menuReview";

    static final String PATH = "/api/registration/review-menu";

    static final Duration TIMEOUT = Duration.ofMillis(800);

    static final long INTERVAL_MILLIS = 600;

    /**
     * Calls reach the stub a little later each, by amounts that differ on a loaded
     * machine.
     */
    static final long ARRIVAL_JITTER_MILLIS = 300;

    /**
     * More calls than the default rule's three: the sub-step's own rule is what lets the
     * fourth one happen.
     */
    static final int ATTEMPTS = 4;

    TestDatabase.Coordinates database;

    ServiceInstance instance;

    JdbcClient jdbc;

    /**
     * The application's pipeline with one more row; nothing outside this test knows it.
     */
    static class MenuReviewPipeline {

        @Bean
        @Primary
        Pipeline pipelineWithMenuReview(DownstreamProperties downstream) {
            return Pipeline.standard(downstream)
                .with(Pipeline
                    .row(Pipeline.defaults(downstream), KEY, "phase4", List.of("menuImport"),
                            in -> in.form().menu().selectedMenuId() == null ? Optional.of("no menu selected")
                                    : Optional.empty(),
                            in -> PATH,
                            in -> Pipeline.body("restaurantId", in.restaurant().id(), "codeInjectionId",
                                    in.context().text("codeInjectionId")),
                            (context, result) -> context.with("menuReviewId", result.get("reviewId")))
                    .withTimeout(TIMEOUT)
                    .withRetry(new RetryRule(ATTEMPTS, Duration.ofMillis(10), 1, Duration.ofMillis(10),
                            Duration.ofSeconds(1)))
                    .rateLimited(Duration.ofMillis(INTERVAL_MILLIS)));
        }

    }

    @BeforeAll
    void startInstance() {
        TestDownstream.reset();
        database = TestDatabase.freshDatabase();
        instance = ServiceInstance.start(database, Map.of(), MenuReviewPipeline.class);
        jdbc = database.jdbcClient();
    }

    @AfterAll
    void stopInstance() {
        instance.close();
    }

    @Test
    void theThirteenthSubStepRunsAfterMenuImportWithItsOwnTimeoutRetryRuleRateLimitAndContext() {
        TestData data = new TestData(jdbc);
        UUID organisation = data.organisation();
        UUID restaurant = data.restaurant(organisation, "Reviewed Bistro");
        UUID menu = data.menu(restaurant, "Lunch");
        SingleJobs jobs = new SingleJobs(instance.api(), TestTokens.forOrganisation(organisation));
        assertThat(jdbc.sql("select count(*) from registration_rate_limits where name = ?")
            .param(KEY)
            .query(Long.class)
            .single()).isZero();
        // past its own deadline, then busy twice, then answered: four calls, which only
        // its own rule allows
        TestDownstream.answersInTurn(restaurant, PATH,
                TestDownstream.okJson("{\"success\": true}").withFixedDelay((int) TIMEOUT.toMillis() + 1500),
                TestDownstream.status(503, "{\"message\": \"busy\"}"),
                TestDownstream.status(503, "{\"message\": \"still busy\"}"),
                TestDownstream.okJson("{\"success\": true, \"reviewId\": \"rv-7\"}"));

        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        JsonNode ended = jobs.awaitEnd(jobId);

        assertThat(ended.get("status").asString()).as(ended.toString()).isEqualTo("completed");
        assertThat(ended.get("phases").get("phase4").get("sub_steps").propertyNames())
            .containsExactlyInAnyOrder("itemTags", KEY);
        JsonNode review = SingleJobs.subStep(ended, "phase4", KEY);
        assertThat(review.get("status").asString()).isEqualTo("completed");
        assertThat(review.get("attempts").asInt()).isEqualTo(ATTEMPTS);
        assertThat(ended.get("context").get("menuReviewId").asString()).isEqualTo("rv-7");
        assertThat(ended.get("context").get("codeInjectionId").asString()).isEqualTo("ci-42");

        List<LoggedRequest> calls = TestDownstream.callsOf(jobId, KEY);
        assertThat(calls).hasSize(ATTEMPTS);
        assertThat(calls)
            .allSatisfy(call -> assertThat(call.getBodyAsString()).contains("\"codeInjectionId\":\"ci-42\""));
        long menuImported = TestDownstream.callsOf(jobId, "menuImport").get(0).getLoggedDate().getTime();
        assertThat(calls.get(0).getLoggedDate().getTime()).isGreaterThanOrEqualTo(menuImported);
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i).getLoggedDate().getTime() - calls.get(i - 1).getLoggedDate().getTime())
                .as("gap before call %d", i)
                .isGreaterThanOrEqualTo(INTERVAL_MILLIS - ARRIVAL_JITTER_MILLIS);
        }
        assertThat(jdbc
            .sql("select count(*) from registration_rate_limits where name = ? and holder is null"
                    + " and last_started_at is not null")
            .param(KEY)
            .query(Long.class)
            .single()).isOne();
    }

}
