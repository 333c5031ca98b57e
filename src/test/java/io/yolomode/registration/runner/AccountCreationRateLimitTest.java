package io.yolomode.registration.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.yolomode.registration.testsupport.ServiceInstance;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestDatabase;
import io.yolomode.registration.testsupport.TestDownstream;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cloudwaitressAccount starts at most once per interval across the whole cluster, whichever instance runs the job.
 * A start is the moment the database granted the limit, which is the sub-step's {@code started_at}.
 */
class AccountCreationRateLimitTest {

    @Test
    void fiveJobsOnTwoInstancesStartAccountCreationAtLeastTheIntervalApart() {
        TestDownstream.reset();
        TestDatabase.Coordinates database = TestDatabase.freshDatabase();
        // two jobs at a time per instance, so that five jobs waiting on the limit must spread over both instances
        Map<String, String> settings = Map.of("registration.downstream.account-creation-min-interval", "2s",
                "registration.runner.max-concurrent-jobs", "2");
        try (ServiceInstance a = ServiceInstance.start(database, settings);
                ServiceInstance b = ServiceInstance.start(database, settings)) {
            JdbcClient jdbc = database.jdbcClient();
            TestData data = new TestData(jdbc);
            UUID organisation = data.organisation();
            String token = TestTokens.forOrganisation(organisation);
            List<UUID> jobIds = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ServiceInstance entry = i % 2 == 0 ? a : b;
                jobIds.add(new SingleJobs(entry.api(), token).start(data.restaurant(organisation, "Limited " + i),
                        Map.of()));
            }
            for (int i = 0; i < jobIds.size(); i++) {
                ServiceInstance entry = i % 2 == 0 ? a : b;
                assertThat(new SingleJobs(entry.api(), token).awaitEnd(jobIds.get(i)).get("status").asString())
                        .isEqualTo("completed");
            }

            List<LoggedRequest> calls = jobIds.stream()
                    .flatMap(jobId -> TestDownstream.callsOf(jobId, "cloudwaitressAccount").stream())
                    .toList();
            assertThat(calls).hasSize(5);
            List<Long> starts = jdbc.sql("""
                    select (sub_step_progress #>> '{phases,phase1,sub_steps,cloudwaitressAccount,started_at}')::bigint
                    from registration_job_steps order by 1""")
                    .query(Long.class).list();
            assertThat(starts).hasSize(5);
            for (int i = 1; i < starts.size(); i++) {
                assertThat(starts.get(i) - starts.get(i - 1)).as("gap before start %d", i)
                        .isGreaterThanOrEqualTo(2000);
            }
            assertThat(a.bean(JobRunner.class).peakRunning()).isPositive();
            assertThat(b.bean(JobRunner.class).peakRunning()).isPositive();
        }
    }
}
