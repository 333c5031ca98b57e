-- One notification per job and statement instead of one per history entry. A progress write appends the entries of
-- several transitions in one statement, and what listens needs only the job and its newest sequence: event streams
-- read the history from the last sequence they sent, the poll cache drops an answer older than the sequence heard.
-- Same channel and payload ('<jobId>:<sequence>') as V3.
create function notify_registration_jobs_changed() returns trigger
    language plpgsql as
$$
begin
    perform pg_notify('registration_job_changed', registration_job_id::text || ':' || max(sequence))
    from inserted
    group by registration_job_id;
    return null;
end;
$$;

drop trigger registration_job_events_notify on registration_job_events;
drop function notify_registration_job_changed();

create trigger registration_job_events_notify
    after insert on registration_job_events
    referencing new table as inserted
    for each statement execute function notify_registration_jobs_changed();

-- Every transition rewrites the job's progress document (about 5 KB of JSON, stored compressed): lz4 compresses it at
-- a fraction of pglz's cost, where the server was built with it (otherwise pglz stays).
do
$$
begin
    alter table registration_job_steps alter column sub_step_progress set compression lz4;
exception
    when feature_not_supported or invalid_parameter_value then
        raise notice 'lz4 is not available on this server; progress documents stay compressed with pglz';
end;
$$;

-- Room on each page for the new version of a row that a write changes, so that most updates stay heap-only (no index
-- entries): a job row changes on every progress write, its step row likewise.
alter table registration_jobs set (fillfactor = 70);
alter table registration_job_steps set (fillfactor = 50);

-- The batch counters (V4) move only when a batch job's status changes: a single-restaurant job's start and end no
-- longer call the trigger function at all (it returned at once for them).
drop trigger registration_jobs_batch_counters on registration_jobs;
create trigger registration_jobs_batch_counters
    after update of status on registration_jobs
    for each row
    when (new.batch_job_id is not null and old.status is distinct from new.status)
    execute function registration_batch_job_ended();
