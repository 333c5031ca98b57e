-- Organisations own restaurants; every API read and write is scoped to one.
create table organisations (
    id         uuid primary key,
    name       text        not null,
    created_at timestamptz not null default now()
);

-- The columns the registration payloads read (DESIGN.md section 3).
create table restaurants (
    id              uuid primary key,
    organisation_id uuid        not null references organisations (id),
    name            text        not null,
    email           text,
    phone           text,
    address         text,
    city            text,
    opening_hours   jsonb,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index restaurants_by_organisation on restaurants (organisation_id, name);

create table menus (
    id            uuid primary key,
    restaurant_id uuid        not null references restaurants (id) on delete cascade,
    name          text        not null,
    created_at    timestamptz not null default now()
);
create index menus_by_restaurant on menus (restaurant_id, name);

create table registration_batch_jobs (
    id                    uuid primary key,
    organisation_id       uuid        not null references organisations (id),
    name                  text        not null,
    status                text        not null,
    execution_config      jsonb       not null default '{}'::jsonb,
    total_restaurants     integer     not null default 0,
    completed_restaurants integer     not null default 0,
    failed_restaurants    integer     not null default 0,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    started_at            timestamptz,
    completed_at          timestamptz,
    cancel_requested_at   timestamptz,
    version               bigint      not null default 0,
    constraint registration_batch_jobs_status_check
        check (status in ('draft', 'pending', 'in_progress', 'completed', 'failed', 'cancelled')),
    constraint registration_batch_jobs_counters_check
        check (completed_restaurants >= 0 and failed_restaurants >= 0
            and completed_restaurants + failed_restaurants <= total_restaurants)
);
create index registration_batch_jobs_by_organisation on registration_batch_jobs (organisation_id, status, created_at desc);

-- One row per restaurant run. A single-restaurant job has batch_job_id null.
-- lease_owner, lease_expires_at and attempt (the fencing token) belong to the runner that holds the job;
-- version grows with every change and is the progress ETag and the event sequence.
create table registration_jobs (
    id                  uuid primary key,
    batch_job_id        uuid references registration_batch_jobs (id) on delete cascade,
    restaurant_id       uuid        not null references restaurants (id),
    organisation_id     uuid        not null references organisations (id),
    status              text        not null,
    current_step        integer,
    execution_config    jsonb       not null default '{}'::jsonb,
    error_message       text,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    started_at          timestamptz,
    completed_at        timestamptz,
    scheduled_at        timestamptz not null default now(),
    lease_owner         text,
    lease_expires_at    timestamptz,
    attempt             integer     not null default 0,
    takeover_count      integer     not null default 0,
    cancel_requested_at timestamptz,
    version             bigint      not null default 0,
    constraint registration_jobs_status_check
        check (status in ('pending', 'in_progress', 'completed', 'failed', 'cancelled')),
    constraint registration_jobs_lease_check
        check ((lease_owner is null) = (lease_expires_at is null))
);

-- The database, not the service, guarantees one active single-restaurant job per restaurant.
create unique index registration_jobs_one_active_single
    on registration_jobs (restaurant_id)
    where batch_job_id is null and status in ('pending', 'in_progress');

-- Latest single job of a restaurant (progress, execute reuse, resume).
create index registration_jobs_latest_single
    on registration_jobs (restaurant_id, created_at desc)
    where batch_job_id is null;

-- Runnable jobs: pending and due, or in progress with an expired lease.
create index registration_jobs_due on registration_jobs (scheduled_at) where status = 'pending';
create index registration_jobs_leases on registration_jobs (lease_expires_at) where status = 'in_progress';

-- Admin listing by organisation and status, newest first; jobs of a batch.
create index registration_jobs_by_organisation on registration_jobs (organisation_id, status, created_at desc);
create index registration_jobs_by_batch on registration_jobs (batch_job_id, status) where batch_job_id is not null;

create table registration_job_steps (
    id                  uuid primary key,
    registration_job_id uuid        not null references registration_jobs (id) on delete cascade,
    step_number         integer     not null,
    status              text        not null,
    sub_step_progress   jsonb,
    error_message       text,
    started_at          timestamptz,
    completed_at        timestamptz,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    constraint registration_job_steps_job_step_unique unique (registration_job_id, step_number),
    constraint registration_job_steps_status_check
        check (status in ('pending', 'in_progress', 'completed', 'failed', 'cancelled'))
);

-- Append-only history of every run, retry, takeover and cancel; sequence is the job's version at the time.
create table registration_job_events (
    id                  bigint generated always as identity primary key,
    registration_job_id uuid        not null references registration_jobs (id) on delete cascade,
    sequence            bigint      not null,
    occurred_at         timestamptz not null default now(),
    type                text        not null,
    sub_step            text,
    status              text,
    attempt             integer,
    error               text,
    constraint registration_job_events_job_sequence_unique unique (registration_job_id, sequence)
);

-- Cluster-wide rate limits (cloudwaitressAccount creation), held here so restarts and other instances respect them.
create table registration_rate_limits (
    name            text primary key,
    last_started_at timestamptz,
    holder          text,
    held_until      timestamptz
);
