package io.yolomode.registration.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

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
 * A shutdown hands unfinished jobs back rather than ending them: a sub-step waiting out a
 * retry stops waiting at once, and a call under way may end within the grace period while
 * the lease of its job keeps being renewed. That the other instance picks a handed-back
 * job up on the notification is shown by {@link TwoInstancesTest}.
 */
class GracefulShutdownTest {

    @Test
    void aRetryWaitIsCutShortAndACallUnderWayEndsWithinTheGraceWhileItsLeaseIsRenewed() {
        TestDownstream.reset();
        TestDatabase.Coordinates database = TestDatabase.freshDatabase();
        JdbcClient jdbc = database.jdbcClient();
        ServiceInstance instance = ServiceInstance.start(database, Map.of("registration.runner.shutdown-grace", "20s",
                // a lease much shorter than the call under way: only renewal during the
                // grace can keep it
                "registration.runner.lease-duration", "2s", "registration.runner.lease-renew-interval", "500ms",
                "registration.downstream.response-timeouts.paymentConfig", "30s"));
        UUID waiting;
        UUID calling;
        List<Boolean> leaseLive = new ArrayList<>();
        try {
            TestData data = new TestData(jdbc);
            UUID organisation = data.organisation();
            UUID lastOrders = data.restaurant(organisation, "Last Orders");
            UUID longCall = data.restaurant(organisation, "Long Call");
            TestDownstream.stub(TestDownstream.callOf(lastOrders, "/api/registration/add-item-tags")
                .willReturn(TestDownstream.status(503, "{\"message\": \"later\"}").withHeader("Retry-After", "120")));
            TestDownstream.succeedAfter(longCall, "/api/registration/configure-payment", 8000);
            SingleJobs jobs = new SingleJobs(instance.api(), TestTokens.forOrganisation(organisation));
            waiting = jobs.start(lastOrders, SingleJobs.fullForm(data.menu(lastOrders, "Dinner")));
            await().until(() -> "retrying"
                .equals(SingleJobs.subStep(jobs.job(waiting), "phase4", "itemTags").get("status").asString()));
            calling = jobs.start(longCall, Map.of());
            await().until(() -> TestDownstream.callsOf(calling, "paymentConfig").size() == 1);

            CompletableFuture<Void> closed = CompletableFuture.runAsync(instance::close);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                jdbc.sql("""
                        select lease_expires_at > now() from registration_jobs
                        where id = ? and status = 'in_progress' and lease_owner is not null""")
                    .param(calling)
                    .query(Boolean.class)
                    .optional()
                    .ifPresent(leaseLive::add);
                return closed.isDone();
            });
            closed.join();
        }
        finally {
            instance.close();
        }

        // soft: each rule is reported on its own when more than one is broken
        org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
            // the call under way ran for 8 s with a 2 s lease: renewed throughout, never
            // lapsed
            soft.assertThat(leaseLive).hasSizeGreaterThan(20).containsOnly(true);
            soft.assertThat(status(jdbc, calling)).isEqualTo("pending");
            soft.assertThat(types(jdbc, calling)).last().isEqualTo("job_released");
            soft.assertThat(types(jdbc, calling)).doesNotContain("job_finished", "job_taken_over");
            soft.assertThat(jdbc.sql("""
                    select count(*) from registration_job_events
                    where registration_job_id = ? and sub_step = 'paymentConfig' and status = 'completed'""")
                .param(calling)
                .query(Long.class)
                .single()).as("the call under way ended within the grace").isOne();
            soft.assertThat(TestDownstream.callsOf(calling, "paymentConfig")).hasSize(1);

            soft.assertThat(status(jdbc, waiting)).isEqualTo("pending");
            soft.assertThat(types(jdbc, waiting)).last().isEqualTo("job_released");
            soft.assertThat(types(jdbc, waiting)).doesNotContain("job_finished");
            soft.assertThat(TestDownstream.callsOf(waiting, "itemTags")).hasSize(1);
            // the retry wait stopped at once: its job was back in the queue long before
            // the 8 s call ended
            Instant released = jdbc
                .sql("""
                        select occurred_at from registration_job_events where registration_job_id = ? and type = 'job_released'""")
                .param(waiting)
                .query(Instant.class)
                .single();
            Instant callEnded = jdbc.sql("""
                    select occurred_at from registration_job_events
                    where registration_job_id = ? and sub_step = 'paymentConfig' and status = 'completed'""")
                .param(calling)
                .query(Instant.class)
                .single();
            soft.assertThat(released).isBefore(callEnded);
        });
    }

    private static String status(JdbcClient jdbc, UUID jobId) {
        return jdbc.sql("select status from registration_jobs where id = ?").param(jobId).query(String.class).single();
    }

    private static List<String> types(JdbcClient jdbc, UUID jobId) {
        return jdbc.sql("select type from registration_job_events where registration_job_id = ? order by sequence")
            .param(jobId)
            .query(String.class)
            .list();
    }

}
