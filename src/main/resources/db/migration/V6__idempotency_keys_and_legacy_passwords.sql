-- The idempotency key a sub-step's call sent, on its history entries: a sub-step run again after it ended failed or
-- cancelled, or after restart: true, sends a new key (a new generation), retries and takeovers the same one.
alter table registration_job_events add column idempotency_key text;

-- Passwords written before they were sealed: a completed job and a batch's shared form never send them again.
-- (Unfinished jobs' passwords are sealed by the service at start-up, which holds the data key.)
update registration_jobs
set execution_config = execution_config #- '{account,password}' #- '{onboarding,userPassword}'
where status = 'completed'
  and (execution_config #> '{account,password}' is not null
       or execution_config #> '{onboarding,userPassword}' is not null);

update registration_batch_jobs
set execution_config = execution_config #- '{account,password}' #- '{onboarding,userPassword}'
where execution_config #> '{account,password}' is not null
   or execution_config #> '{onboarding,userPassword}' is not null;
