package io.yolomode.registration.live;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Appends history entries to a job as a run does (version + 1, one entry with that
 * sequence, one commit, so the trigger notifies every instance), without a run: the tests
 * here need changes at a pace and size they choose.
 */
final class JobHistoryWriter {

    private final JdbcClient jdbc;

    JobHistoryWriter(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One {@code sub_step} entry; returns its sequence. */
    long append(UUID jobId) {
        return jdbc.sql("""
                with bumped as (update registration_jobs set version = version + 1 where id = ? returning id, version)
                insert into registration_job_events (registration_job_id, sequence, type, sub_step, status, attempt)
                select id, version, 'sub_step', 'codeGeneration', 'retrying', 1 from bumped
                returning sequence""").param(jobId).query(Long.class).single();
    }

    /**
     * Makes every progress event of the job about {@code bytes} long, by padding its run
     * context.
     */
    void padProgress(UUID jobId, int bytes) {
        int updated = jdbc.sql("""
                update registration_job_steps
                set sub_step_progress = sub_step_progress
                    || jsonb_build_object('context', jsonb_build_object('padding', repeat('x', ?)))
                where registration_job_id = ? and step_number = 6""").params(bytes, jobId).update();
        if (updated != 1) {
            throw new IllegalStateException("job " + jobId + " has no progress document");
        }
    }

    java.util.List<Long> sequences(UUID jobId) {
        return jdbc.sql("select sequence from registration_job_events where registration_job_id = ? order by sequence")
            .param(jobId)
            .query(Long.class)
            .list();
    }

}
