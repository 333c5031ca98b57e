-- The idempotency key a sub-step's call sent, on its history entries: a sub-step run again after it ended failed or
-- cancelled, or after restart: true, sends a new key (a new generation), retries and takeovers the same one.
alter table registration_job_events add column idempotency_key text;
