package io.yolomode.registration.query;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

import io.yolomode.registration.progress.StoredProgress;
import io.yolomode.registration.job.RegistrationJob;
import io.yolomode.registration.job.RegistrationJobRepository;
import io.yolomode.registration.security.Caller;
import io.yolomode.registration.system.Refusal;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads any job, single or batch, within the caller's organisation: its progress, its
 * history, its version for conditional requests, and the listing. A read of one statement
 * runs without a transaction of its own (one round trip instead of three, which is most
 * of a poll's cost); reads of several statements share one.
 */
@Service
public class JobQueries {

    private final RegistrationJobRepository jobs;

    private final JdbcClient jdbc;

    private final LongAdder statements = new LongAdder();

    JobQueries(RegistrationJobRepository jobs, JdbcClient jdbc) {
        this.jobs = jobs;
        this.jdbc = jdbc;
    }

    /** The job's current ETag, read from its version alone (no progress document). */
    public Optional<String> currentTag(Caller caller, UUID jobId) {
        statements.increment();
        return jdbc.sql("select version from registration_jobs where id = ? and organisation_id = ?")
            .params(jobId, caller.organisationId())
            .query(Long.class)
            .optional()
            .map(version -> JobETags.of(jobId, version));
    }

    /**
     * The current ETag of the restaurant's latest single-restaurant job, within the
     * caller's organisation.
     */
    public Optional<String> latestSingleTag(Caller caller, UUID restaurantId) {
        statements.increment();
        return jdbc.sql("""
                select id, version from registration_jobs
                where restaurant_id = ? and organisation_id = ? and batch_job_id is null
                order by created_at desc limit 1""")
            .params(restaurantId, caller.organisationId())
            .query((rs, row) -> JobETags.of(rs.getObject("id", UUID.class), rs.getLong("version")))
            .optional();
    }

    /**
     * The restaurant's latest single-restaurant job as a poll sees it, in one query;
     * empty when it has none (the caller then checks that the restaurant is theirs).
     */
    public Optional<StoredProgress> latestSingleProgress(Caller caller, UUID restaurantId) {
        statements.increment();
        return jdbc.sql(STORED_PROGRESS + """
                where j.restaurant_id = ? and j.organisation_id = ? and j.batch_job_id is null
                order by j.created_at desc limit 1""")
            .params(restaurantId, caller.organisationId())
            .query(JobQueries::storedProgress)
            .optional();
    }

    /** Any job of the caller's organisation as a poll sees it, in one query. */
    public Optional<StoredProgress> storedProgress(Caller caller, UUID jobId) {
        statements.increment();
        return jdbc.sql(STORED_PROGRESS + " where j.id = ? and j.organisation_id = ?")
            .params(jobId, caller.organisationId())
            .query(JobQueries::storedProgress)
            .optional();
    }

    private static final String STORED_PROGRESS = """
            select j.id, j.restaurant_id, j.batch_job_id, j.status, j.error_message, j.scheduled_at, j.started_at,
                   j.completed_at, j.updated_at, j.version,
                   s.sub_step_progress ->> 'current_phase' as current_phase,
                   (s.sub_step_progress -> 'phases')::text as phases,
                   (s.sub_step_progress -> 'context')::text as context
            from registration_jobs j
            left join registration_job_steps s on s.registration_job_id = j.id and s.step_number = 6
            """;

    private static StoredProgress storedProgress(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new StoredProgress(true, rs.getObject("id", UUID.class), rs.getObject("restaurant_id", UUID.class),
                rs.getObject("batch_job_id", UUID.class), rs.getString("status"), rs.getString("current_phase"),
                rs.getString("phases"), rs.getString("context"), rs.getString("error_message"),
                instant(rs, "scheduled_at"), instant(rs, "started_at"), instant(rs, "completed_at"),
                instant(rs, "updated_at"), rs.getLong("version"));
    }

    /** Jobs newest first, one page. */
    @Transactional(readOnly = true)
    public JobPage list(JobFilter filter, int page, int size) {
        statements.add(2);
        StringBuilder where = new StringBuilder(" where true");
        Map<String, Object> params = new LinkedHashMap<>();
        if (!filter.allOrganisations()) {
            where.append(" and j.organisation_id = :organisationId");
            params.put("organisationId", filter.organisationId());
        }
        if (filter.status() != null) {
            where.append(" and j.status = :status");
            params.put("status", filter.status().value());
        }
        if (filter.restaurantId() != null) {
            where.append(" and j.restaurant_id = :restaurantId");
            params.put("restaurantId", filter.restaurantId());
        }
        if (filter.batchJobId() != null) {
            where.append(" and j.batch_job_id = :batchJobId");
            params.put("batchJobId", filter.batchJobId());
        }
        long total = jdbc.sql("select count(*) from registration_jobs j" + where)
            .params(params)
            .query(Long.class)
            .single();
        List<JobSummary> content = jdbc.sql("""
                select j.id, j.organisation_id, j.restaurant_id, r.name as restaurant_name, j.batch_job_id, j.status,
                       s.sub_step_progress ->> 'current_phase' as current_phase, j.error_message, j.created_at,
                       j.scheduled_at, j.started_at, j.completed_at, j.updated_at
                from registration_jobs j
                join restaurants r on r.id = j.restaurant_id
                left join registration_job_steps s on s.registration_job_id = j.id and s.step_number = 6
                """ + where + " order by j.created_at desc, j.id limit :limit offset :offset")
            .params(params)
            .param("limit", size)
            .param("offset", (long) page * size)
            .query((rs, row) -> new JobSummary(rs.getObject("id", UUID.class),
                    rs.getObject("organisation_id", UUID.class), rs.getObject("restaurant_id", UUID.class),
                    rs.getString("restaurant_name"), rs.getObject("batch_job_id", UUID.class), rs.getString("status"),
                    rs.getString("current_phase"), rs.getString("error_message"), instant(rs, "created_at"),
                    instant(rs, "scheduled_at"), instant(rs, "started_at"), instant(rs, "completed_at"),
                    instant(rs, "updated_at")))
            .list();
        return new JobPage(content, page, size, total, (int) ((total + size - 1) / size));
    }

    private static java.time.@Nullable Instant instant(java.sql.ResultSet rs, String column)
            throws java.sql.SQLException {
        java.sql.Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    /**
     * The job's progress, for a reader that already checked the caller may see it (event
     * streams).
     */
    public Optional<StoredProgress> storedProgress(UUID jobId) {
        statements.increment();
        return jdbc.sql(STORED_PROGRESS + " where j.id = ?").param(jobId).query(JobQueries::storedProgress).optional();
    }

    /**
     * History entries after the given sequence, oldest first (what an event stream sends
     * on each change).
     */
    public List<HistoryEntryView> historyAfter(UUID jobId, long sequence) {
        statements.increment();
        return jdbc.sql("""
                select sequence, occurred_at, type, sub_step, status, attempt, error, idempotency_key
                from registration_job_events
                where registration_job_id = ? and sequence > ? order by sequence""")
            .params(jobId, sequence)
            .query((rs, row) -> new HistoryEntryView(rs.getLong("sequence"), instant(rs, "occurred_at"),
                    rs.getString("type"), rs.getString("sub_step"), rs.getString("status"),
                    rs.getObject("attempt", Integer.class), rs.getString("error"), rs.getString("idempotency_key")))
            .list();
    }

    /**
     * The answer for a restaurant without a single-restaurant job; 404 when it is not the
     * caller's (the same as an unknown one).
     */
    public NotStarted notStarted(Caller caller, UUID restaurantId) {
        statements.increment();
        boolean theirs = jdbc.sql("select exists (select 1 from restaurants where id = ? and organisation_id = ?)")
            .params(restaurantId, caller.organisationId())
            .query(Boolean.class)
            .single();
        if (!theirs) {
            throw Refusal.notFound("Restaurant " + restaurantId + " was not found");
        }
        return NotStarted.of(restaurantId);
    }

    /**
     * Statements the read side has run on this instance (what the poll cache saves shows
     * here).
     */
    public long statements() {
        return statements.sum();
    }

    /**
     * Whether the caller may see the job (an unknown job and another organisation's look
     * the same).
     */
    public void requireVisible(Caller caller, UUID jobId) {
        jobOf(caller, jobId);
    }

    @Transactional(readOnly = true)
    public List<HistoryEntryView> history(Caller caller, UUID jobId) {
        return historyAfter(jobOf(caller, jobId).getId(), Long.MIN_VALUE);
    }

    private RegistrationJob jobOf(Caller caller, UUID jobId) {
        statements.increment();
        return jobs.findByIdAndOrganisationId(jobId, caller.organisationId())
            .orElseThrow(() -> Refusal.notFound("Job " + jobId + " was not found"));
    }

}
