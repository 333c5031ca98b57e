package io.yolomode.registration.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.yolomode.registration.testsupport.ServiceInstance;
import io.yolomode.registration.testsupport.TestDatabase;
import io.yolomode.registration.testsupport.TestDownstream;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A thousand queued jobs drain through one instance without it ever running more than its
 * capacity; the rest wait as rows. Seen from outside the runner: the leases held in the
 * database, and the jobs whose calls the registration API has under way at once.
 */
class CapacityTest {

    @Test
    void thousandQueuedJobsCompleteWithNeverMoreThanEightRunning() {
        TestDownstream.reset();
        // one sub-step of every job takes a little while, so that running jobs overlap
        // where the calls arrive
        TestDownstream.stub(post(urlPathEqualTo("/api/registration/configure-services")).atPriority(8)
            .willReturn(TestDownstream.okJson("{\"success\": true}").withFixedDelay(20)));
        TestDatabase.Coordinates database = TestDatabase.freshDatabase();
        JdbcClient jdbc = database.jdbcClient();
        try (ServiceInstance instance = ServiceInstance.start(database,
                Map.of("registration.runner.max-concurrent-jobs", "8", "registration.runner.enabled", "true"))) {
            UUID organisation = UUID.randomUUID();
            jdbc.sql("insert into organisations (id, name) values (?, 'Capacity')").param(organisation).update();
            jdbc.sql("""
                    insert into restaurants (id, organisation_id, name)
                    select gen_random_uuid(), ?, 'Restaurant ' || n from generate_series(1, 1000) n""")
                .param(organisation)
                .update();
            jdbc.sql("""
                    with jobs as (
                        insert into registration_jobs (id, restaurant_id, organisation_id, status, current_step,
                                                       execution_config)
                        select gen_random_uuid(), id, organisation_id, 'pending', 6, '{}'::jsonb
                        from restaurants where organisation_id = ?
                        returning id
                    )
                    insert into registration_job_steps (id, registration_job_id, step_number, status)
                    select gen_random_uuid(), id, 6, 'pending' from jobs""").param(organisation).update();
            instance.bean(JobRunner.class).wake();

            List<Long> leasesHeld = new ArrayList<>();
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100)).until(() -> {
                leasesHeld.add(jdbc.sql("""
                        select count(*) from registration_jobs
                        where status = 'in_progress' and lease_owner is not null and lease_expires_at > now()""")
                    .query(Long.class)
                    .single());
                return jdbc.sql("select count(*) from registration_jobs where status = 'completed'")
                    .query(Long.class)
                    .single() == 1000;
            });

            assertThat(leasesHeld).hasSizeGreaterThan(20);
            assertThat(leasesHeld.stream().mapToLong(Long::longValue).max().orElseThrow())
                .as("most live leases at once")
                .isEqualTo(8);
            assertThat(mostJobsWithCallsUnderWay()).as("most jobs with calls under way at once").isBetween(1, 8);
            assertThat(jdbc.sql("select count(*) from registration_job_events where type = 'job_taken_over'")
                .query(Long.class)
                .single()).isZero();
        }
    }

    /**
     * Each job's span at the registration API, from its first call's arrival to the end
     * of its last answer, and the most spans that overlap: a job's span lies inside its
     * run, so no more can overlap than ran at once.
     */
    private static int mostJobsWithCallsUnderWay() {
        Map<String, long[]> spans = new LinkedHashMap<>();
        for (ServeEvent event : TestDownstream.server().getAllServeEvents()) {
            String key = event.getRequest().getHeader("Idempotency-Key");
            long arrived = event.getRequest().getLoggedDate().getTime();
            long answered = arrived + event.getTiming().getTotalTime();
            spans.merge(key.substring(0, 36), new long[] { arrived, answered },
                    (one, other) -> new long[] { Math.min(one[0], other[0]), Math.max(one[1], other[1]) });
        }
        assertThat(spans).hasSize(1000);
        List<long[]> edges = new ArrayList<>();
        spans.values().forEach(span -> {
            edges.add(new long[] { span[0], 1 });
            edges.add(new long[] { span[1], -1 });
        });
        // at the same millisecond an end comes before a start: spans that only touch did
        // not overlap
        edges.sort(Comparator.<long[]>comparingLong(edge -> edge[0]).thenComparingLong(edge -> edge[1]));
        int open = 0;
        int most = 0;
        for (long[] edge : edges) {
            open += (int) edge[1];
            most = Math.max(most, open);
        }
        return most;
    }

}
