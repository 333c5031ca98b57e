package io.yolomode.registration.runner;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ServiceInstance;
import io.yolomode.registration.testsupport.TestDatabase;
import io.yolomode.registration.testsupport.TestDownstream;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A thousand queued jobs drain through one instance without it ever running more than its capacity; the rest
 * wait as rows.
 */
class CapacityTest {

    @Test
    void thousandQueuedJobsCompleteWithNeverMoreThanEightRunning() {
        TestDownstream.reset();
        TestDatabase.Coordinates database = TestDatabase.freshDatabase();
        JdbcClient jdbc = database.jdbcClient();
        try (ServiceInstance instance = ServiceInstance.start(database, Map.of(
                "registration.runner.max-concurrent-jobs", "8", "registration.runner.enabled", "true"))) {
            UUID organisation = UUID.randomUUID();
            jdbc.sql("insert into organisations (id, name) values (?, 'Capacity')").param(organisation).update();
            jdbc.sql("""
                    insert into restaurants (id, organisation_id, name)
                    select gen_random_uuid(), ?, 'Restaurant ' || n from generate_series(1, 1000) n""")
                    .param(organisation).update();
            jdbc.sql("""
                    with jobs as (
                        insert into registration_jobs (id, restaurant_id, organisation_id, status, current_step,
                                                       execution_config)
                        select gen_random_uuid(), id, organisation_id, 'pending', 6, '{}'::jsonb
                        from restaurants where organisation_id = ?
                        returning id
                    )
                    insert into registration_job_steps (id, registration_job_id, step_number, status)
                    select gen_random_uuid(), id, 6, 'pending' from jobs""")
                    .param(organisation).update();
            instance.bean(JobRunner.class).wake();

            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> jdbc
                    .sql("select count(*) from registration_jobs where status = 'completed'")
                    .query(Long.class).single() == 1000);

            JobRunner runner = instance.bean(JobRunner.class);
            assertThat(runner.peakRunning()).isEqualTo(8);
            assertThat(jdbc.sql("select count(*) from registration_job_events where type = 'job_taken_over'")
                    .query(Long.class).single()).isZero();
        }
    }
}
