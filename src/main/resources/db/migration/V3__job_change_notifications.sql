-- Every history entry is a change of the job: tell every instance, on commit, which job and which sequence.
-- Event streams on any instance pick the change up from here, whichever instance wrote it.
create function notify_registration_job_changed() returns trigger
    language plpgsql as
$$
begin
    perform pg_notify('registration_job_changed', new.registration_job_id::text || ':' || new.sequence);
    return null;
end;
$$;

create trigger registration_job_events_notify
    after insert on registration_job_events
    for each row execute function notify_registration_job_changed();

-- Listing for the admin view: newest first, optionally by status, restaurant or batch.
create index registration_jobs_by_organisation_created on registration_jobs (organisation_id, created_at desc);
create index registration_jobs_by_restaurant_created on registration_jobs (restaurant_id, created_at desc);
