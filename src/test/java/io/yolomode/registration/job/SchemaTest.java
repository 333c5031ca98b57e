package io.yolomode.registration.job;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.yolomode.registration.testsupport.IntegrationTest;
import io.yolomode.registration.testsupport.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Flyway schema on a real PostgreSQL: it applies to an empty database, and the
 * database itself enforces the rules the service relies on.
 */
@IntegrationTest
class SchemaTest {

    @Autowired
    JdbcClient jdbc;

    TestData data;

    UUID organisation;

    UUID restaurant;

    @BeforeEach
    void setUp() {
        data = new TestData(jdbc);
        organisation = data.organisation();
        restaurant = data.restaurant(organisation, "Schema Bistro");
    }

    @Test
    void migrationsApplyToAnEmptyDatabase() {
        List<String> applied = jdbc
            .sql("select version from flyway_schema_history where success order by installed_rank")
            .query(String.class)
            .list();
        assertThat(applied).contains("1");
        List<String> tables = jdbc.sql("""
                select table_name from information_schema.tables
                where table_schema = 'public' order by table_name""").query(String.class).list();
        assertThat(tables).contains("organisations", "restaurants", "menus", "registration_batch_jobs",
                "registration_jobs", "registration_job_steps", "registration_job_events", "registration_rate_limits");
    }

    @Test
    void secondActiveSingleJobForOneRestaurantIsRejected() {
        UUID first = insertJob(null, "pending");
        assertThatThrownBy(() -> insertJob(null, "in_progress")).isInstanceOf(DataIntegrityViolationException.class)
            .hasMessageContaining("registration_jobs_one_active_single");

        jdbc.sql("update registration_jobs set status = 'completed' where id = ?").param(first).update();
        insertJob(null, "pending");

        assertThat(countJobs()).isEqualTo(2);
    }

    @Test
    void batchJobsAreOutsideTheOneActiveJobRule() {
        UUID batch = UUID.randomUUID();
        jdbc.sql(
                "insert into registration_batch_jobs (id, organisation_id, name, status) values (?, ?, 'b', 'pending')")
            .params(batch, organisation)
            .update();
        insertJob(null, "in_progress");
        insertJob(batch, "pending");
        insertJob(batch, "pending");

        assertThat(countJobs()).isEqualTo(3);
    }

    @Test
    void unknownStatusValuesAreRejected() {
        assertThatThrownBy(() -> insertJob(null, "running")).isInstanceOf(DataIntegrityViolationException.class)
            .hasMessageContaining("registration_jobs_status_check");
    }

    @Test
    void aJobHasOneRowPerStepNumber() {
        UUID job = insertJob(null, "pending");
        String insertStep = "insert into registration_job_steps (id, registration_job_id, step_number, status) values (?, ?, 6, 'pending')";
        jdbc.sql(insertStep).params(UUID.randomUUID(), job).update();
        assertThatThrownBy(() -> jdbc.sql(insertStep).params(UUID.randomUUID(), job).update())
            .isInstanceOf(DataIntegrityViolationException.class)
            .hasMessageContaining("registration_job_steps_job_step_unique");
    }

    /**
     * Ends the single jobs this test left active, so that nothing of it is ever runnable
     * later.
     */
    @AfterEach
    void endTheJobsLeftActive() {
        jdbc.sql("""
                update registration_jobs set status = 'cancelled'
                where restaurant_id = ? and batch_job_id is null and status in ('pending', 'in_progress')""")
            .param(restaurant)
            .update();
    }

    /**
     * A job row as the schema sees it; never due, so the runner of the shared context
     * leaves it alone.
     */
    private UUID insertJob(UUID batch, String status) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into registration_jobs (id, batch_job_id, restaurant_id, organisation_id, status, created_at,
                    scheduled_at)
                values (?, ?, ?, ?, ?, ?, timestamptz '9999-12-31 00:00:00Z')""")
            .params(id, batch, restaurant, organisation, status, java.sql.Timestamp.from(Instant.now()))
            .update();
        return id;
    }

    private long countJobs() {
        return jdbc.sql("select count(*) from registration_jobs where restaurant_id = ?")
            .param(restaurant)
            .query(Long.class)
            .single();
    }

}
