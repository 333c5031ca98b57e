-- The cluster-wide limit on cloudwaitressAccount starts. holder is the id of the job whose call is under way;
-- a hold ends with the call, with held_until, or with the holding job's lease.
insert into registration_rate_limits (name) values ('cloudwaitressAccount') on conflict (name) do nothing;
