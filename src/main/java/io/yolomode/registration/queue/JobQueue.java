package io.yolomode.registration.queue;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import io.yolomode.registration.job.FormData;
import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.progress.ProgressDocument;
import io.yolomode.registration.job.RegistrationJob;
import io.yolomode.registration.job.SecretField;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The queue: every statement that changes a job's status, lease, cancel flag or schedule,
 * each together with the history entry it appends (one owner, so that lock order, fencing
 * and history stay the same on every path).
 * <ul>
 * <li>runner: {@link #claim}, {@link #renew}, {@link #release}, {@link #backlog};</li>
 * <li>run: {@link #loadForRun}, {@link #writeProgress}, {@link #finish};</li>
 * <li>cancel: {@link #lockStatus}, {@link #requestCancel}, {@link #cancelPending};</li>
 * <li>single-restaurant rerun: {@link #requeue}; batch start:
 * {@link #scheduleBatchNow}.</li>
 * </ul>
 * Claiming takes due jobs with {@code FOR UPDATE SKIP LOCKED}; every later write of a run
 * is fenced by lease owner and attempt, so a runner that lost its job cannot change it.
 * Where a batch row and job rows are both locked, the batch row comes first, then job
 * rows in id order.
 * <p>
 * Claims, renewals and the backlog read use the runner's own {@link QueueConnections};
 * every other statement uses the main pool, inside the caller's transaction where there
 * is one. A job's creation (with its {@link HistoryEntryType#JOB_CREATED} entry) is an
 * insert of its owning service, not a change of state.
 */
@Repository
public class JobQueue {

    /**
     * The step row that carries a job's progress document, as a condition on
     * {@code registration_job_steps}.
     */
    static final String YOLO_STEP = "step_number = " + RegistrationJob.YOLO_STEP_NUMBER;

    /**
     * A job that a claim may take, on {@code registration_jobs j}: pending and due, or in
     * progress with an expired lease (its owner stopped renewing).
     */
    static final String RUNNABLE = """
            ((j.status = 'pending' and j.scheduled_at <= now())
             or (j.status = 'in_progress' and j.lease_expires_at < now()))""";

    /**
     * The stored form without the passwords that the written document shows no sub-step
     * can need any more ({@code :eraseAccount}, {@code :eraseUser}: a path, or empty for
     * none). When there is nothing left to erase it is the column itself rather than a
     * copy, so that a write does not rewrite a large form every time.
     */
    private static final String FORM_AFTER_ERASURE = """
            case when (cardinality(cast(:eraseAccount as text[])) = 0
                       or execution_config #> cast(:eraseAccount as text[]) is null)
                  and (cardinality(cast(:eraseUser as text[])) = 0
                       or execution_config #> cast(:eraseUser as text[]) is null)
                 then execution_config
                 else execution_config #- cast(:eraseAccount as text[]) #- cast(:eraseUser as text[])
            end""";

    /**
     * What a run needs to start ({@link StoredRun}), on job {@code c} (with
     * {@code organisation_id} and {@code execution_config}), restaurant {@code r} and
     * step row {@code s}.
     */
    private static final String STORED_RUN_COLUMNS = """
            c.organisation_id, c.execution_config::text as execution_config,
            s.sub_step_progress::text as sub_step_progress, r.id as restaurant_id, r.name, r.email, r.phone,
            r.address, r.city, r.opening_hours::text as opening_hours""";

    private static final String CLAIM_BATCHES = sql("""
            select b.id from registration_batch_jobs b
            where b.status = 'in_progress'
              and exists (select 1 from registration_jobs j
                          where j.batch_job_id = b.id
                            and {runnable})
            for update skip locked""");

    private static final String CLAIM = sql("""
            with singles as (
                select j.id, j.status as previous_status, 0 as batch_order, j.scheduled_at
                from registration_jobs j
                where j.batch_job_id is null
                  and {runnable}
                order by j.scheduled_at
                limit :room
                for update skip locked
            ), running_per_batch as (
                select batch_job_id, count(*) as running
                from registration_jobs
                where batch_job_id = any(:batches) and status = 'in_progress' and lease_expires_at >= now()
                group by batch_job_id
            ), ranked as (
                select j.id, j.status as previous_status, j.scheduled_at,
                       row_number() over (partition by j.batch_job_id order by j.scheduled_at, j.id)
                           + coalesce(r.running, 0) as slot
                from registration_jobs j
                left join running_per_batch r on r.batch_job_id = j.batch_job_id
                where j.batch_job_id = any(:batches)
                  and {runnable}
            ), batch_jobs as (
                select id, previous_status, 1 as batch_order, scheduled_at
                from ranked
                where slot <= :perBatchCap
                order by scheduled_at
                limit :batchRoom
            ), candidates as (
                select id from (
                    select * from singles union all select * from batch_jobs
                ) both_kinds
                order by batch_order, scheduled_at
                limit :room
            ), locked as (
                select j.id, j.status as previous_status
                from registration_jobs j
                where j.id in (select id from candidates)
                  and {runnable}
                order by j.id
                for update skip locked
            ), claimed as (
                update registration_jobs j
                set status = 'in_progress',
                    lease_owner = :owner,
                    lease_expires_at = now() + :leaseMillis * interval '1 millisecond',
                    attempt = j.attempt + 1,
                    takeover_count = j.takeover_count
                        + case when c.previous_status = 'in_progress' then 1 else 0 end,
                    started_at = coalesce(j.started_at, now()),
                    version = j.version + 1,
                    updated_at = now()
                from locked c
                where j.id = c.id
                returning j.id, j.attempt, j.version, j.takeover_count, j.batch_job_id, c.previous_status,
                          j.cancel_requested_at is not null as cancel_requested, j.organisation_id, j.restaurant_id,
                          j.execution_config
            ), history as (
                insert into registration_job_events (registration_job_id, sequence, type, status, attempt)
                select id, version,
                       case when previous_status = 'in_progress' then :takenOver else :started end,
                       'in_progress', attempt
                from claimed
            )
            select c.id, c.attempt, c.takeover_count, c.batch_job_id, c.previous_status, c.cancel_requested,
                   {storedRunColumns}
            from claimed c
            join restaurants r on r.id = c.restaurant_id
            left join registration_job_steps s on s.registration_job_id = c.id and s.{yoloStep}
            """);

    /**
     * Extends the leases of the owner's jobs among {@code :ids}, their rows locked in id
     * order; {@code {locking}} is {@code for update} or {@code for update skip locked}.
     */
    private static final String RENEW = """
            update registration_jobs
            set lease_expires_at = clock_timestamp() + :leaseMillis * interval '1 millisecond'
            where id in (select id from registration_jobs
                         where lease_owner = :owner and status = 'in_progress' and id = any(:ids)
                         order by id
                         {locking})
              and lease_owner = :owner and status = 'in_progress'
            returning id, cancel_requested_at is not null as cancel_requested""";

    /**
     * The runner's progress write. {@code bench/transition.sql} runs this very statement
     * under pgbench; a test compares the two.
     */
    static final String PROGRESS_WRITE = sql("""
            with fence as (
                update registration_jobs
                set version = version + :count, updated_at = now(),
                    execution_config = {formAfterErasure}
                where id = :id and lease_owner = :owner and attempt = :attempt and status = 'in_progress'
                returning version
            ), step as (
                update registration_job_steps
                set sub_step_progress = cast(:document as jsonb), status = 'in_progress',
                    started_at = coalesce(started_at, now()), updated_at = now()
                where registration_job_id = :id and {yoloStep} and exists (select 1 from fence)
            )
            insert into registration_job_events (registration_job_id, sequence, type, sub_step, status, attempt, error,
                                                 idempotency_key)
            select :id, fence.version - :count + e.position, e.type, e.sub_step, e.status, e.attempt, e.error,
                   e.idempotency_key
            from fence, unnest(cast(:types as text[]), cast(:subSteps as text[]), cast(:statuses as text[]),
                               cast(:attempts as int[]), cast(:errors as text[]), cast(:keys as text[]))
                            with ordinality as e(type, sub_step, status, attempt, error, idempotency_key, position)
            returning sequence""");

    /**
     * A run's end, with the history entries of the transitions not written yet
     * ({@code :count} of them, possibly none) before the {@code job_finished} entry, in
     * one statement.
     */
    private static final String FINISH = sql("""
            with finished as (
                update registration_jobs
                set status = :status, error_message = :error, completed_at = now(), updated_at = now(),
                    lease_owner = null, lease_expires_at = null, version = version + :count + 1,
                    execution_config = {formAfterErasure}
                where id = :id and lease_owner = :owner and attempt = :attempt and status = 'in_progress'
                returning version
            ), step as (
                update registration_job_steps
                set sub_step_progress = coalesce(cast(:document as jsonb), sub_step_progress),
                    status = :status, error_message = :error,
                    completed_at = now(), updated_at = now()
                where registration_job_id = :id and {yoloStep} and exists (select 1 from finished)
            ), transitions as (
                insert into registration_job_events (registration_job_id, sequence, type, sub_step, status, attempt,
                                                     error, idempotency_key)
                select :id, finished.version - :count - 1 + e.position, e.type, e.sub_step, e.status, e.attempt,
                       e.error, e.idempotency_key
                from finished, unnest(cast(:types as text[]), cast(:subSteps as text[]), cast(:statuses as text[]),
                                      cast(:attempts as int[]), cast(:errors as text[]), cast(:keys as text[]))
                                   with ordinality as e(type, sub_step, status, attempt, error, idempotency_key,
                                                        position)
            )
            insert into registration_job_events (registration_job_id, sequence, type, status, attempt, error)
            select :id, version, :type, :status, :attempt, :error from finished
            returning sequence""");

    private static final String RELEASE = """
            with released as (
                update registration_jobs
                set status = 'pending', lease_owner = null, lease_expires_at = null, scheduled_at = now(),
                    version = version + 1, updated_at = now()
                where id = :id and lease_owner = :owner and attempt = :attempt and status = 'in_progress'
                returning version
            )
            insert into registration_job_events (registration_job_id, sequence, type, status, attempt)
            select :id, version, :type, 'pending', :attempt from released
            returning sequence""";

    private static final String REQUEST_CANCEL = """
            with requested as (
                update registration_jobs
                set cancel_requested_at = coalesce(cancel_requested_at, now()), version = version + 1,
                    updated_at = now()
                where id = :id
                returning version
            )
            insert into registration_job_events (registration_job_id, sequence, type, status)
            select :id, version, :type, 'in_progress' from requested""";

    private static final String CANCEL_PENDING = sql("""
            with cancelled as (
                update registration_jobs
                set status = 'cancelled', cancel_requested_at = now(), completed_at = now(),
                    version = version + 1, updated_at = now()
                where id = :id
                returning version, batch_job_id is not null as batch
            ), step as (
                update registration_job_steps
                set status = 'cancelled', sub_step_progress = cast(:document as jsonb), completed_at = now(),
                    updated_at = now()
                where registration_job_id = :id and {yoloStep}
            ), history as (
                insert into registration_job_events (registration_job_id, sequence, type, status)
                select :id, version, :type, 'cancelled' from cancelled
            )
            select batch from cancelled""");

    private static final String REQUEUE = sql("""
            with requeued as (
                update registration_jobs
                set status = 'pending', execution_config = cast(:form as jsonb), error_message = null,
                    started_at = null, completed_at = null, cancel_requested_at = null, takeover_count = 0,
                    scheduled_at = :scheduledAt, updated_at = :now, version = version + 1
                where id = :id and version = :version
                returning version
            ), step as (
                insert into registration_job_steps (id, registration_job_id, step_number, status, sub_step_progress,
                                                    created_at, updated_at)
                select :stepId, :id, :stepNumber, 'pending', cast(:document as jsonb), :now, :now
                where exists (select 1 from requeued)
                on conflict (registration_job_id, step_number) do update
                set status = 'pending', sub_step_progress = excluded.sub_step_progress, error_message = null,
                    started_at = null, completed_at = null, updated_at = excluded.updated_at
            )
            insert into registration_job_events (registration_job_id, sequence, occurred_at, type, status)
            select :id, version, :now, :type, 'pending' from requeued
            returning sequence""");

    private final JdbcClient jdbc;

    private final JsonMapper jsonMapper;

    private final TransactionTemplate transactions;

    private final QueueConnections queue;

    JobQueue(JdbcClient jdbc, JsonMapper jsonMapper, PlatformTransactionManager transactionManager,
            QueueConnections queue) {
        this.jdbc = jdbc;
        this.jsonMapper = jsonMapper;
        this.transactions = new TransactionTemplate(transactionManager);
        this.queue = queue;
    }

    /**
     * Fills the shared fragments into a statement: {@code {storedRunColumns}},
     * {@code {runnable}}, {@code {yoloStep}}, {@code {formAfterErasure}}.
     */
    private static String sql(String template) {
        return template.replace("{storedRunColumns}", STORED_RUN_COLUMNS)
            .replace("{runnable}", RUNNABLE)
            .replace("{yoloStep}", YOLO_STEP)
            .replace("{formAfterErasure}", FORM_AFTER_ERASURE);
    }

    /**
     * Claims runnable jobs (pending and due, or in progress with an expired lease),
     * oldest due first: single-restaurant jobs before batch jobs, up to {@code room} in
     * all, of which at most {@code batchRoom} batch jobs, and never more than
     * {@code perBatchCap} running jobs of one batch across the cluster. Each start or
     * takeover is recorded in the history.
     * <p>
     * Two statements in one transaction: the batches with runnable jobs are locked first
     * (skipping those another instance is claiming from, or that a cancel or a job's end
     * holds), so that the second statement, with a fresh snapshot, counts their running
     * jobs exactly. Job rows are then locked in id order and skipped when someone else
     * holds them, after checking again that they are still runnable: the claim waits for
     * no lock at all, so it can be part of no deadlock (the lock order is batch row, then
     * job rows by id).
     */
    public List<ClaimedJob> claim(String owner, int room, int batchRoom, int perBatchCap, Duration lease) {
        JdbcClient queueJdbc = queue.jdbc();
        return queue.transactions().execute(status -> {
            UUID[] batches = batchRoom <= 0 ? new UUID[0]
                    : queueJdbc.sql(CLAIM_BATCHES).query(UUID.class).list().toArray(UUID[]::new);
            return queueJdbc.sql(CLAIM)
                .param("room", room)
                .param("batchRoom", Math.max(batchRoom, 0))
                .param("perBatchCap", perBatchCap)
                .param("batches", batches)
                .param("owner", owner)
                .param("leaseMillis", lease.toMillis())
                .param("takenOver", HistoryEntryType.JOB_TAKEN_OVER.text())
                .param("started", HistoryEntryType.JOB_STARTED.text())
                .query((rs, row) -> {
                    boolean takeover = "in_progress".equals(rs.getString("previous_status"));
                    // A takeover's run reads its progress afresh: the step row is read as
                    // of the statement's start, and the previous owner may have written
                    // it since (its fence does not look at the lease's expiry).
                    return new ClaimedJob(new JobLease(rs.getObject("id", UUID.class), owner, rs.getInt("attempt")),
                            takeover, rs.getInt("takeover_count"), rs.getBoolean("cancel_requested"),
                            rs.getObject("batch_job_id", UUID.class), takeover ? null : storedRun(rs));
                })
                .list();
        });
    }

    /**
     * Extends the leases of the owner's running jobs, locking their rows in id order;
     * answers the jobs still held, each with whether someone asked to cancel it (in case
     * the notification was missed). Rows locked at that moment are skipped by the first
     * statement and renewed by a second that waits for them (within the pool's lock
     * timeout), so that one row locked for long holds back no other job's lease.
     * @throws DataAccessException when a row stayed locked past the lock timeout: the
     * other leases are renewed, and the runner counts the renewal as failed (its
     * readiness follows)
     */
    public Map<UUID, Boolean> renew(String owner, Collection<UUID> jobIds, Duration lease) {
        if (jobIds.isEmpty()) {
            return Map.of();
        }
        Map<UUID, Boolean> held = new HashMap<>(renew(owner, jobIds, lease, "for update skip locked"));
        List<UUID> locked = jobIds.stream().filter(id -> !held.containsKey(id)).toList();
        if (locked.isEmpty()) {
            return held;
        }
        // rows locked a moment ago (a progress write under way) or no longer this
        // owner's;
        // a row locked for longer than the lock timeout fails this statement, after the
        // other leases were renewed by the first
        held.putAll(renew(owner, locked, lease, "for update"));
        return held;
    }

    private Map<UUID, Boolean> renew(String owner, Collection<UUID> jobIds, Duration lease, String locking) {
        return queue.jdbc()
            .sql(RENEW.replace("{locking}", locking))
            .param("leaseMillis", lease.toMillis())
            .param("owner", owner)
            .param("ids", jobIds.toArray(UUID[]::new))
            .query((rs, row) -> Map.entry(rs.getObject("id", UUID.class), rs.getBoolean("cancel_requested")))
            .list()
            .stream()
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * Writes a progress document with the history entries of the transitions that led to
     * it, fenced by the lease, in one statement: the version goes up by one per entry and
     * each entry takes one of the new versions as its sequence. A password that no
     * sub-step of the document can need any more is erased from the stored form in the
     * same statement, so it goes exactly when the sub-steps that used it are recorded as
     * done. Answers the job's new version.
     * @throws LeaseLostException when the lease is no longer the job's
     */
    public long writeProgress(JobLease lease, ProgressDocument document, List<HistoryEntry> entries) {
        return writeProgress(new ProgressWrite(lease, document, entries));
    }

    /**
     * As {@link #writeProgress(JobLease, ProgressDocument, List)}, the write as given.
     * @throws LeaseLostException when the lease is no longer the job's
     */
    public long writeProgress(ProgressWrite write) {
        return writeFenced(write, jdbc).orElseThrow(() -> new LeaseLostException(write.lease()));
    }

    /**
     * As {@link #writeProgress(ProgressWrite)}, on the main pool but bounded like the
     * progress writer's own connection: the statement gives up on a row lock, and at all,
     * after the given timeouts (set for its transaction only).
     * @throws LeaseLostException when the lease is no longer the job's
     */
    public long writeProgress(ProgressWrite write, QueueConnections.Timeouts within) {
        return transactions.execute(tx -> {
            jdbc.sql(
                    "select set_config('lock_timeout', :lock, true), set_config('statement_timeout', :statement, true)")
                .param("lock", within.lock().toMillis() + "ms")
                .param("statement", within.statement().toMillis() + "ms")
                .query((rs, row) -> row)
                .list();
            return writeFenced(write, jdbc).orElseThrow(() -> new LeaseLostException(write.lease()));
        });
    }

    /**
     * A job's progress write as {@link #writeProgress} takes it: the document and the
     * history entries of the transitions that led to it.
     */
    public record ProgressWrite(JobLease lease, ProgressDocument document, List<HistoryEntry> entries,
            @Nullable String documentJson) {

        /** The write with the document to be serialised when it is written. */
        public ProgressWrite(JobLease lease, ProgressDocument document, List<HistoryEntry> entries) {
            this(lease, document, entries, null);
        }
    }

    /**
     * Writes the progress of several jobs in one transaction on the given connections
     * (the progress writer's own, whose session timeouts bound it), each job's write the
     * statement of {@link #writeProgress} with its own fence, so that they share one
     * commit. PostgreSQL commits the transactions that send notifications (every
     * statement that appends history does, V7) one at a time, flush included, so a commit
     * per write caps the writes of the whole cluster at one per flush; shared, one flush
     * carries many. The job rows are locked in id order, the one lock order. A write
     * whose lease is gone changes nothing and does not stop the others.
     * @return each write's new version, in the order given; null where the lease was no
     * longer the job's
     */
    public List<Long> writeProgressTogether(List<ProgressWrite> writes, QueueConnections on) {
        if (writes.size() == 1) {
            return Collections.singletonList(writeFenced(writes.get(0), on.jdbc()).orElse(null));
        }
        Integer[] byJobId = new Integer[writes.size()];
        Arrays.setAll(byJobId, index -> index);
        Arrays.sort(byJobId, Comparator.comparing(index -> writes.get(index).lease().jobId(), JobQueue::inIdOrder));
        return on.transactions().execute(tx -> {
            Long[] versions = new Long[writes.size()];
            for (int index : byJobId) {
                versions[index] = writeFenced(writes.get(index), on.jdbc()).orElse(null);
            }
            return Arrays.asList(versions);
        });
    }

    /**
     * PostgreSQL's order of uuids, which compares their bytes unsigned (Java's
     * {@code compareTo} does not).
     */
    static int inIdOrder(UUID first, UUID second) {
        int high = Long.compareUnsigned(first.getMostSignificantBits(), second.getMostSignificantBits());
        return high != 0 ? high
                : Long.compareUnsigned(first.getLeastSignificantBits(), second.getLeastSignificantBits());
    }

    private Optional<Long> writeFenced(ProgressWrite write, JdbcClient jdbc) {
        JobLease lease = write.lease();
        ProgressDocument document = write.document();
        List<HistoryEntry> entries = write.entries();
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a progress write carries at least one history entry");
        }
        return withEntries(jdbc.sql(PROGRESS_WRITE), entries).param("id", lease.jobId())
            .param("owner", lease.owner())
            .param("attempt", lease.attempt())
            .param("document",
                    write.documentJson() != null ? write.documentJson() : jsonMapper.writeValueAsString(document))
            .param("eraseAccount", SecretField.ACCOUNT_PASSWORD.erasurePath(document))
            .param("eraseUser", SecretField.USER_PASSWORD.erasurePath(document))
            .query(Long.class)
            .list()
            .stream()
            .max(Long::compare);
    }

    /**
     * The history entries a statement appends, as its {@code :count} and column arrays.
     */
    private static JdbcClient.StatementSpec withEntries(JdbcClient.StatementSpec statement,
            List<HistoryEntry> entries) {
        return statement.param("count", entries.size())
            .param("types", entries.stream().map(entry -> entry.type().text()).toArray(String[]::new))
            .param("subSteps", entries.stream().map(HistoryEntry::subStep).toArray(String[]::new))
            .param("statuses", entries.stream().map(HistoryEntry::status).toArray(String[]::new))
            .param("attempts", entries.stream().map(HistoryEntry::attempt).toArray(Integer[]::new))
            .param("errors", entries.stream().map(HistoryEntry::error).toArray(String[]::new))
            .param("keys", entries.stream().map(HistoryEntry::idempotencyKey).toArray(String[]::new));
    }

    /**
     * Ends a run: the job's final status and error, the step row (its document kept when
     * none is given), the history entry, and the lease given up. A batch job's batch row
     * is locked first, since ending the job moves the batch's counters (trigger): batch
     * row before job row, the one lock order.
     * @throws LeaseLostException when the lease is no longer the job's
     */
    public void finish(JobLease lease, JobStatus status, @Nullable String errorMessage,
            @Nullable ProgressDocument document) {
        transactions
            .executeWithoutResult(tx -> finishAfterLockingTheBatch(lease, status, errorMessage, document, null));
    }

    /**
     * As {@link #finish(JobLease, JobStatus, String, ProgressDocument)}, for a run that
     * knows the job's batch from its claim ({@code batchId}, null for a single-restaurant
     * job: a job's batch never changes) and has the document already serialised (the run
     * keeps its entries' JSON; null serialises the document here). A single-restaurant
     * job has no batch row to lock first, so its end is the one statement, committed on
     * its own.
     */
    public void finish(JobLease lease, @Nullable UUID batchId, JobStatus status, @Nullable String errorMessage,
            @Nullable ProgressDocument document, @Nullable String documentJson) {
        finish(lease, batchId, status, errorMessage, document, documentJson, List.of());
    }

    /**
     * As {@link #finish(JobLease, UUID, JobStatus, String, ProgressDocument, String)},
     * with the history entries of the run's transitions that were not written yet: they
     * are appended before the {@code job_finished} entry in the same statement, as
     * {@link #writeProgress} would have, so that the last transitions of a run and its
     * end take one write.
     */
    public void finish(JobLease lease, @Nullable UUID batchId, JobStatus status, @Nullable String errorMessage,
            @Nullable ProgressDocument document, @Nullable String documentJson, List<HistoryEntry> unwritten) {
        if (batchId == null) {
            finishStatement(lease, status, errorMessage, document, documentJson, unwritten);
            return;
        }
        transactions.executeWithoutResult(tx -> {
            jdbc.sql("select id from registration_batch_jobs where id = ? for update")
                .param(batchId)
                .query(UUID.class)
                .list();
            finishStatement(lease, status, errorMessage, document, documentJson, unwritten);
        });
    }

    private void finishAfterLockingTheBatch(JobLease lease, JobStatus status, @Nullable String errorMessage,
            @Nullable ProgressDocument document, @Nullable String documentJson) {
        lockBatchOf(lease.jobId());
        finishStatement(lease, status, errorMessage, document, documentJson, List.of());
    }

    private void finishStatement(JobLease lease, JobStatus status, @Nullable String errorMessage,
            @Nullable ProgressDocument document, @Nullable String documentJson, List<HistoryEntry> unwritten) {
        withEntries(jdbc.sql(FINISH), unwritten).param("id", lease.jobId())
            .param("owner", lease.owner())
            .param("attempt", lease.attempt())
            .param("status", status.value())
            .param("error", errorMessage)
            .param("type", HistoryEntryType.JOB_FINISHED.text())
            .param("document",
                    document == null ? null
                            : documentJson != null ? documentJson : jsonMapper.writeValueAsString(document))
            .param("eraseAccount", SecretField.ACCOUNT_PASSWORD.erasurePath(document))
            .param("eraseUser", SecretField.USER_PASSWORD.erasurePath(document))
            .query(Long.class)
            .optional()
            .orElseThrow(() -> new LeaseLostException(lease));
    }

    /**
     * Locks the batch row of a batch job (nothing for a single-restaurant job), as
     * everything that locks a batch and its jobs does first: the batch row, then job rows
     * in id order. The job's batch never changes, so it is read without a lock.
     */
    public void lockBatchOf(UUID jobId) {
        lockBatchOf(jobId, null);
    }

    /**
     * As {@link #lockBatchOf(UUID)}, only when the job is the organisation's: a caller
     * locks nothing of others.
     */
    public void lockBatchOf(UUID jobId, @Nullable UUID organisationId) {
        jdbc.sql("""
                select b.id from registration_batch_jobs b
                where b.id = (select batch_job_id from registration_jobs
                              where id = :id and (cast(:org as uuid) is null or organisation_id = cast(:org as uuid)))
                for update""").param("id", jobId).param("org", organisationId).query(UUID.class).list();
    }

    /**
     * Hands a job back without finishing it (graceful shutdown): pending and due now, no
     * lease, so that any instance claims it at once.
     * @return whether the lease was still this run's
     */
    public boolean release(JobLease lease) {
        return jdbc.sql(RELEASE)
            .param("id", lease.jobId())
            .param("owner", lease.owner())
            .param("attempt", lease.attempt())
            .param("type", HistoryEntryType.JOB_RELEASED.text())
            .query(Long.class)
            .optional()
            .isPresent();
    }

    /**
     * Locks the organisation's job row (after its batch row, which the caller locks
     * first: see {@link #lockBatchOf(UUID, UUID)}) and answers its status; empty when the
     * organisation has no such job.
     */
    public Optional<JobStatus> lockStatus(UUID jobId, UUID organisationId) {
        return jdbc.sql("select status from registration_jobs where id = ? and organisation_id = ? for update")
            .params(jobId, organisationId)
            .query((rs, row) -> JobStatus.of(rs.getString("status")))
            .optional();
    }

    /**
     * Marks a running job for cancelling, with its history entry; the caller tells its
     * owner. Its row is locked by the caller's transaction, after its batch row.
     */
    public void requestCancel(UUID jobId) {
        jdbc.sql(REQUEST_CANCEL).param("id", jobId).param("type", HistoryEntryType.CANCEL_REQUESTED.text()).update();
    }

    /**
     * Ends a job that no runner holds as cancelled, with the given final document and its
     * history entry; its row is locked by the caller's transaction, after its batch row.
     * @return whether it is a batch job
     */
    public boolean cancelPending(UUID jobId, ProgressDocument cancelled) {
        return jdbc.sql(CANCEL_PENDING)
            .param("id", jobId)
            .param("document", jsonMapper.writeValueAsString(cancelled))
            .param("type", HistoryEntryType.JOB_FINISHED.text())
            .query(Boolean.class)
            .single();
    }

    /** The job's stored progress document, if its step row has one. */
    public Optional<ProgressDocument> storedProgress(UUID jobId) {
        return jdbc.sql(sql("""
                select sub_step_progress::text from registration_job_steps
                where registration_job_id = ? and {yoloStep}"""))
            .param(jobId)
            .query(String.class)
            .optional()
            .map(json -> jsonMapper.readValue(json, ProgressDocument.class));
    }

    /**
     * Makes an ended job runnable again (a reused or resumed single-restaurant job):
     * pending at {@code scheduledAt} with the given form and progress document, its
     * error, times, cancel flag and takeover count cleared, with a
     * {@link HistoryEntryType#JOB_QUEUED} entry. The attempt counter is kept, so leases
     * of earlier runs stay invalid. {@code version} is the version the caller read the
     * job at.
     * @throws OptimisticLockingFailureException when the job changed since the caller
     * read it
     */
    public void requeue(UUID jobId, long version, FormData form, @Nullable ProgressDocument progress,
            Instant scheduledAt, Instant now) {
        jdbc.sql(REQUEUE)
            .param("id", jobId)
            .param("version", version)
            .param("form", jsonMapper.writeValueAsString(form))
            .param("stepId", UUID.randomUUID())
            .param("stepNumber", RegistrationJob.YOLO_STEP_NUMBER)
            .param("document", progress == null ? null : jsonMapper.writeValueAsString(progress))
            .param("scheduledAt", OffsetDateTime.ofInstant(scheduledAt, ZoneOffset.UTC))
            .param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
            .param("type", HistoryEntryType.JOB_QUEUED.text())
            .query(Long.class)
            .optional()
            .orElseThrow(
                    () -> new OptimisticLockingFailureException("Job " + jobId + " changed since version " + version));
    }

    /**
     * Locks the batch's jobs that have not ended, in id order (after the batch row, which
     * the caller locks first), and answers them with their status, for a cancel of the
     * whole batch.
     */
    public List<Map.Entry<UUID, JobStatus>> lockActiveJobsOfBatch(UUID batchId, UUID organisationId) {
        return jdbc.sql("""
                select id, status from registration_jobs
                where batch_job_id = ? and organisation_id = ? and status in ('pending', 'in_progress')
                order by id
                for update""")
            .params(batchId, organisationId)
            .query((rs, row) -> Map.entry(rs.getObject("id", UUID.class), JobStatus.of(rs.getString("status"))))
            .list();
    }

    /**
     * Makes a started batch's pending jobs due now; the batch row is locked by the
     * caller's transaction.
     */
    public void scheduleBatchNow(UUID batchId) {
        jdbc.sql("""
                update registration_jobs set scheduled_at = now(), updated_at = now()
                where batch_job_id = ? and status = 'pending'""").param(batchId).update();
    }

    /**
     * Jobs that could run now but are not running (pending and due, or with an expired
     * lease), and how long the oldest of them has waited. The two halves of
     * {@link #RUNNABLE} are read apart, each with its own start of waiting.
     */
    public Backlog backlog() {
        return queue.jdbc().sql("""
                select count(*) as runnable, extract(epoch from (now() - min(since))) as oldest_seconds from (
                    select scheduled_at as since from registration_jobs
                    where status = 'pending' and scheduled_at <= now()
                    union all
                    select lease_expires_at from registration_jobs
                    where status = 'in_progress' and lease_expires_at < now()
                ) runnable""").query((rs, row) -> {
            double seconds = rs.getDouble("oldest_seconds");
            return new Backlog(rs.getLong("runnable"),
                    rs.wasNull() ? Duration.ZERO : Duration.ofMillis((long) (seconds * 1000)));
        }).single();
    }

    /**
     * The queue as seen now: how many jobs wait to run and the age of the oldest.
     */
    public record Backlog(long runnable, Duration oldestAge) {
    }

    /**
     * What a run needs to start: the job's form and organisation, the restaurant's
     * columns and the stored progress. A claim reads the same
     * ({@link ClaimedJob#stored()}) except for a takeover; this reads it for a job
     * claimed without it.
     */
    public RunSnapshot loadForRun(UUID jobId) {
        return snapshotOf(jdbc.sql(sql("""
                select {storedRunColumns}
                from registration_jobs c
                join restaurants r on r.id = c.restaurant_id
                left join registration_job_steps s on s.registration_job_id = c.id and s.{yoloStep}
                where c.id = :id""")).param("id", jobId).query((rs, row) -> storedRun(rs)).single(), jobId);
    }

    /** What a claim read for the run, as the run takes it. */
    public RunSnapshot snapshotOf(StoredRun stored, UUID jobId) {
        return new RunSnapshot(jobId, stored.organisationId(), jsonMapper.readValue(stored.form(), FormData.class),
                stored.progress() == null ? null : jsonMapper.readValue(stored.progress(), ProgressDocument.class),
                new RunSnapshot.RestaurantRow(stored.restaurantId(), stored.name(), stored.email(), stored.phone(),
                        stored.address(), stored.city(), stored.openingHours() == null ? null
                                : jsonMapper.readValue(stored.openingHours(), Object.class)));
    }

    /**
     * A job's stored form, progress and restaurant columns as read, unparsed: a claim
     * reads them on the runner's thread, and the run parses them on its own.
     */
    public record StoredRun(UUID organisationId, String form, @Nullable String progress, UUID restaurantId, String name,
            @Nullable String email, @Nullable String phone, @Nullable String address, @Nullable String city,
            @Nullable String openingHours) {

        /** Ids only: the form (sealed passwords) and contact details stay out of logs. */
        @Override
        public String toString() {
            return "StoredRun[organisationId=" + organisationId + ", restaurantId=" + restaurantId + "]";
        }
    }

    private static StoredRun storedRun(ResultSet rs) throws SQLException {
        return new StoredRun(rs.getObject("organisation_id", UUID.class), rs.getString("execution_config"),
                rs.getString("sub_step_progress"), rs.getObject("restaurant_id", UUID.class), rs.getString("name"),
                rs.getString("email"), rs.getString("phone"), rs.getString("address"), rs.getString("city"),
                rs.getString("opening_hours"));
    }

    /**
     * A job as a run reads it at its start.
     */
    public record RunSnapshot(UUID jobId, UUID organisationId, FormData form, @Nullable ProgressDocument progress,
            RestaurantRow restaurant) {

        public record RestaurantRow(UUID id, String name, @Nullable String email, @Nullable String phone,
                @Nullable String address, @Nullable String city, @Nullable Object openingHours) {
        }
    }

}
