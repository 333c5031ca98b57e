package io.yolomode.registration.runner;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ServiceInstance;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestDatabase;
import io.yolomode.registration.testsupport.TestDownstream;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A shutdown while the last phase waits out a retry hands the job back unfinished; it does not end it failed.
 */
class GracefulShutdownTest {

    @Test
    void aSubStepWaitingToRetryInTheLastPhaseIsHandedBackNotFailed() {
        TestDownstream.reset();
        TestDatabase.Coordinates database = TestDatabase.freshDatabase();
        JdbcClient jdbc = database.jdbcClient();
        UUID jobId;
        try (ServiceInstance instance = ServiceInstance.start(database, Map.of(
                "registration.runner.shutdown-grace", "5s"))) {
            TestData data = new TestData(jdbc);
            UUID organisation = data.organisation();
            UUID restaurant = data.restaurant(organisation, "Last Orders");
            UUID menu = data.menu(restaurant, "Dinner");
            TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/add-item-tags")
                    .willReturn(TestDownstream.status(503, "{\"message\": \"later\"}")
                            .withHeader("Retry-After", "30")));
            SingleJobs jobs = new SingleJobs(instance.api(), TestTokens.forOrganisation(organisation));
            jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
            await().until(() -> "retrying".equals(SingleJobs.subStep(jobs.job(jobId), "phase4", "itemTags")
                    .get("status").asString()));
        }

        assertThat(jdbc.sql("select status from registration_jobs where id = ?").param(jobId).query(String.class)
                .single()).isEqualTo("pending");
        List<String> types = jdbc.sql("select type from registration_job_events where registration_job_id = ? order by sequence")
                .param(jobId).query(String.class).list();
        assertThat(types).last().isEqualTo("job_released");
        assertThat(types).doesNotContain("job_finished");
        assertThat(TestDownstream.callsOf(jobId, "itemTags")).hasSize(1);
    }
}
