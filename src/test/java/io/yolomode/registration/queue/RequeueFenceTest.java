package io.yolomode.registration.queue;

import static io.yolomode.registration.testsupport.StandardPipeline.DOCUMENTS;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.yolomode.registration.job.FormData;
import io.yolomode.registration.progress.ProgressDocument;
import io.yolomode.registration.testsupport.CallerTestSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.OptimisticLockingFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Queuing an ended job again is fenced by the version its caller read: of two requests
 * that reuse the same job, the later one changes nothing (and retries, finding the job
 * active); the one that wins resets what a new run must not inherit and keeps the attempt
 * counter, so earlier runs' leases stay invalid.
 */
class RequeueFenceTest extends CallerTestSupport {

    @Autowired
    JobQueue queue;

    @Autowired
    JsonMapper jsonMapper;

    @Test
    void aRequeueFromAStaleVersionChangesNothingAndTheCurrentOneResetsTheJob() {
        UUID restaurant = data.restaurant(organisation, "Requeue Rooms");
        UUID jobId = UUID.randomUUID();
        jdbc.sql("""
                insert into registration_jobs (id, restaurant_id, organisation_id, status, current_step,
                    execution_config, error_message, started_at, completed_at, attempt, takeover_count,
                    cancel_requested_at, version)
                values (?, ?, ?, 'cancelled', 6, '{}'::jsonb, 'stopped', now(), now(), 3, 2, now(), 7)""")
            .params(jobId, restaurant, organisation)
            .update();
        ProgressDocument cancelled = DOCUMENTS.cancelled(DOCUMENTS.initial(), 1L);
        jdbc.sql("""
                insert into registration_job_steps (id, registration_job_id, step_number, status, sub_step_progress,
                    error_message, started_at, completed_at)
                values (?, ?, 6, 'cancelled', ?::jsonb, 'stopped', now(), now())""")
            .params(UUID.randomUUID(), jobId, jsonMapper.writeValueAsString(cancelled))
            .update();
        ProgressDocument rerun = DOCUMENTS.forRerun(cancelled, false);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant due = now.plusSeconds(60);

        assertThatThrownBy(() -> queue.requeue(jobId, 6, FormData.empty(), rerun, due, now))
            .isInstanceOf(OptimisticLockingFailureException.class);
        assertThat(jdbc.sql("select status || ':' || version from registration_jobs where id = ?")
            .param(jobId)
            .query(String.class)
            .single()).isEqualTo("cancelled:7");
        assertThat(jdbc.sql("select status from registration_job_steps where registration_job_id = ?")
            .param(jobId)
            .query(String.class)
            .single()).isEqualTo("cancelled");
        assertThat(jdbc.sql("select count(*) from registration_job_events where registration_job_id = ?")
            .param(jobId)
            .query(Long.class)
            .single()).isZero();

        queue.requeue(jobId, 7, FormData.empty(), rerun, due, now);

        assertThat(jdbc.sql("""
                select status, version, attempt, takeover_count, error_message is null as no_error,
                       started_at is null and completed_at is null and cancel_requested_at is null as cleared,
                       scheduled_at, updated_at
                from registration_jobs where id = ?""").param(jobId).query().singleRow())
            .containsEntry("status", "pending")
            .containsEntry("version", 8L)
            .containsEntry("attempt", 3)
            .containsEntry("takeover_count", 0)
            .containsEntry("no_error", true)
            .containsEntry("cleared", true)
            .hasEntrySatisfying("scheduled_at", at -> assertThat(((java.sql.Timestamp) at).toInstant()).isEqualTo(due))
            .hasEntrySatisfying("updated_at", at -> assertThat(((java.sql.Timestamp) at).toInstant()).isEqualTo(now));
        assertThat(jdbc.sql("""
                select status || ':' || (error_message is null and started_at is null and completed_at is null)
                from registration_job_steps where registration_job_id = ?""").param(jobId).query(String.class).single())
            .isEqualTo("pending:true");
        assertThat(queue.storedProgress(jobId)).contains(rerun);
        assertThat(jdbc.sql("""
                select sequence || ':' || type || ':' || status from registration_job_events
                where registration_job_id = ?""").param(jobId).query(String.class).list())
            .containsExactly("8:job_queued:pending");
    }

}
