-- Batch counters move in the same transaction as the job status that changes them, whichever code path ends the
-- job: a trigger keeps completed/failed/cancelled counts and ends the batch when every job has ended.
alter table registration_batch_jobs add column cancelled_restaurants integer not null default 0;
alter table registration_batch_jobs drop constraint registration_batch_jobs_counters_check;
alter table registration_batch_jobs add constraint registration_batch_jobs_counters_check
    check (completed_restaurants >= 0 and failed_restaurants >= 0 and cancelled_restaurants >= 0
        and completed_restaurants + failed_restaurants + cancelled_restaurants <= total_restaurants);

create function registration_batch_job_ended() returns trigger
    language plpgsql as
$$
declare
    was_final boolean := old.status in ('completed', 'failed', 'cancelled');
    is_final  boolean := new.status in ('completed', 'failed', 'cancelled');
begin
    if new.batch_job_id is null or old.status = new.status or was_final = is_final then
        return null;
    end if;
    update registration_batch_jobs b
    set completed_restaurants = b.completed_restaurants
            + case when new.status = 'completed' then 1 when old.status = 'completed' then -1 else 0 end,
        failed_restaurants = b.failed_restaurants
            + case when new.status = 'failed' then 1 when old.status = 'failed' then -1 else 0 end,
        cancelled_restaurants = b.cancelled_restaurants
            + case when new.status = 'cancelled' then 1 when old.status = 'cancelled' then -1 else 0 end,
        updated_at = now(),
        version = b.version + 1
    where b.id = new.batch_job_id;
    if is_final then
        update registration_batch_jobs b
        set status = case when b.cancel_requested_at is not null then 'cancelled'
                          when b.failed_restaurants + b.cancelled_restaurants > 0 then 'failed'
                          else 'completed' end,
            completed_at = now()
        where b.id = new.batch_job_id
          and b.status in ('draft', 'pending', 'in_progress')
          and b.completed_restaurants + b.failed_restaurants + b.cancelled_restaurants = b.total_restaurants;
    else
        update registration_batch_jobs b
        set status = 'in_progress', completed_at = null
        where b.id = new.batch_job_id and b.status in ('completed', 'failed');
    end if;
    return null;
end;
$$;

create trigger registration_jobs_batch_counters
    after update of status on registration_jobs
    for each row execute function registration_batch_job_ended();

-- Runnable jobs of started batches, for the claim's per-batch cap.
create index registration_jobs_batch_runnable on registration_jobs (batch_job_id, scheduled_at)
    where batch_job_id is not null and status in ('pending', 'in_progress');
