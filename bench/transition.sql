-- The runner's progress write (queue.JobQueue.PROGRESS_WRITE), statement for statement: bump the job's version
-- under its lease (erasing no password), write the whole progress document of the step row, append one sub_step
-- history entry. It runs on tables of the same names and columns in schema "bench" (run.sh creates them and sets
-- search_path), so the statement is the runner's text with only its parameters given values, one per line below
-- (":name -> value"; :id is pgbench's). BenchTransitionTest fails when the two differ: after changing the
-- statement, paste it here and put the values in again.
-- :owner -> 'bench'
-- :attempt -> 1
-- :count -> 1
-- :document -> (select doc from bench_doc)
-- :eraseAccount -> '{}'
-- :eraseUser -> '{}'
-- :types -> '{sub_step}'
-- :subSteps -> '{paymentConfig}'
-- :statuses -> '{completed}'
-- :attempts -> '{1}'
-- :errors -> '{NULL}'
-- :keys -> '{NULL}'
\set id random(1, :rows)
with fence as (
    update registration_jobs
    set version = version + 1, updated_at = now(),
        execution_config = case when (cardinality(cast('{}' as text[])) = 0
           or execution_config #> cast('{}' as text[]) is null)
      and (cardinality(cast('{}' as text[])) = 0
           or execution_config #> cast('{}' as text[]) is null)
     then execution_config
     else execution_config #- cast('{}' as text[]) #- cast('{}' as text[])
end
    where id = :id and lease_owner = 'bench' and attempt = 1 and status = 'in_progress'
    returning version
), step as (
    update registration_job_steps
    set sub_step_progress = cast((select doc from bench_doc) as jsonb), status = 'in_progress',
        started_at = coalesce(started_at, now()), updated_at = now()
    where registration_job_id = :id and step_number = 6 and exists (select 1 from fence)
)
insert into registration_job_events (registration_job_id, sequence, type, sub_step, status, attempt, error,
                                     idempotency_key)
select :id, fence.version - 1 + e.position, e.type, e.sub_step, e.status, e.attempt, e.error,
       e.idempotency_key
from fence, unnest(cast('{sub_step}' as text[]), cast('{paymentConfig}' as text[]), cast('{completed}' as text[]),
                   cast('{1}' as int[]), cast('{NULL}' as text[]), cast('{NULL}' as text[]))
                with ordinality as e(type, sub_step, status, attempt, error, idempotency_key, position)
returning sequence;
