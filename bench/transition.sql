-- The runner's progress write, statement for statement: bump the job's version under its lease, write the whole
-- progress document of the step row, append the history entry (bench tables of the same shape, same indexes).
\set id random(1, :rows)
with fence as (
    update bench_jobs set version = version + 1, updated_at = now()
    where id = :id and lease_owner = 'bench' and status = 'in_progress'
    returning version
), step as (
    update bench_steps set sub_step_progress = (select doc from bench_doc), status = 'in_progress',
        updated_at = now()
    where job_id = :id and exists (select 1 from fence)
)
insert into bench_events (job_id, sequence, type, sub_step, status, attempt)
select :id, version, 'sub_step', 'paymentConfig', 'completed', 1 from fence;
