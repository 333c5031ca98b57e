package io.yolomode.registration.pipeline;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.yolomode.registration.queue.JobLease;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A rate limit held in the database, so that every instance and every restart respects
 * it: one holder at a time, and at least a minimum interval between two starts. Each
 * rate-limited sub-step has its row in {@code registration_rate_limits}, named by its key
 * and created the first time it is needed. The holder is one run of a job
 * ({@code jobId:attempt}); a hold ends when its call ends, when {@code held_until}
 * passes, or when that run's lease is gone.
 */
@Component
class ClusterRateLimit {

    private final JdbcClient jdbc;

    private final Set<String> known = ConcurrentHashMap.newKeySet();

    ClusterRateLimit(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Creates the limit's row unless it exists; a limit without its row could never be
     * taken. Once per key and instance, since the row is never deleted.
     */
    void ensureExists(String name) {
        if (known.contains(name)) {
            return;
        }
        jdbc.sql("insert into registration_rate_limits (name) values (?) on conflict (name) do nothing")
            .param(name)
            .update();
        known.add(name);
    }

    /**
     * Takes the limit for the job if it is free and the interval has passed; answers the
     * start it granted (the database's clock, in epoch milliseconds), or empty.
     */
    java.util.Optional<Long> tryAcquire(String name, JobLease run, Duration minInterval, Duration maxHold) {
        return jdbc.sql("""
                update registration_rate_limits l
                set holder = :holder, held_until = now() + :holdMillis * interval '1 millisecond',
                    last_started_at = now()
                where l.name = :name
                  and (l.last_started_at is null
                       or l.last_started_at <= now() - :intervalMillis * interval '1 millisecond')
                  and (l.holder is null or l.holder = :holder or l.held_until < now()
                       or not exists (select 1 from registration_jobs j
                                      where j.id::text || ':' || j.attempt = l.holder
                                        and j.status = 'in_progress' and j.lease_expires_at > now()))
                returning (extract(epoch from l.last_started_at) * 1000)::bigint""")
            .param("name", name)
            .param("holder", holder(run))
            .param("holdMillis", maxHold.toMillis())
            .param("intervalMillis", minInterval.toMillis())
            .query(Long.class)
            .optional();
    }

    /** How long until the interval since the last start has passed (zero when it has). */
    Duration untilIntervalPassed(String name, Duration minInterval) {
        Double seconds = jdbc.sql("""
                select greatest(0, extract(epoch from (last_started_at + :intervalMillis * interval '1 millisecond'
                                                       - now())))
                from registration_rate_limits where name = :name""")
            .param("name", name)
            .param("intervalMillis", minInterval.toMillis())
            .query(Double.class)
            .optional()
            .orElse(0.0);
        return Duration.ofMillis(seconds == null ? 0 : (long) (seconds * 1000));
    }

    void release(String name, JobLease run) {
        jdbc.sql("update registration_rate_limits set holder = null, held_until = null where name = ? and holder = ?")
            .params(name, holder(run))
            .update();
    }

    /**
     * A hold belongs to one run of a job: a later run (after a takeover) does not inherit
     * it.
     */
    private static String holder(JobLease run) {
        return run.jobId() + ":" + run.attempt();
    }

}
