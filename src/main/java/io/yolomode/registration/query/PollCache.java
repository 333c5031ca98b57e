package io.yolomode.registration.query;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.progress.StoredProgress;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The latest progress answer of recently read jobs, so that a poll of a job that has not
 * changed (200 or 304) needs no statement. It holds at most
 * {@code registration.poll-cache.max-jobs} jobs (the least recently read makes room),
 * each with its organisation for the per-request check, and for a restaurant which of
 * those is its latest single-restaurant job.
 * <p>
 * Filled by reads, emptied by the change notifications every instance hears: a change
 * newer than the kept answer drops it, and the next poll reads the database again. So an
 * answer is at most the push latency old (or, when the listening connection silently
 * died, until its check notices: {@code listener-check-interval} plus
 * {@code listener-check-timeout}). Nothing is answered from memory unless the connection
 * that heard the changes since the answer was read still listens: after a failure every
 * answer kept before it is void. An answer never replaces a newer one, and an answer read
 * while a change of its job may have arrived is not kept, so a read never goes backwards
 * on one instance.
 */
@Component
public class PollCache {

    /**
     * A job's first history entry ({@code job_created}) has this sequence: a change with
     * it is a new job.
     */
    static final long CREATED_VERSION = 0;

    /**
     * Changes heard are counted per stripe of job ids, so that a read can tell whether
     * its job changed meanwhile.
     */
    private static final int STRIPES = 256;

    private final JobChangeFeed feed;

    private final JsonMapper jsonMapper;

    private final int maxJobs;

    /** Guarded by {@code this}; in read order, least recent first. */
    private final LinkedHashMap<UUID, Cached> jobs;

    /**
     * The restaurant's latest single-restaurant job when it was read; guarded by
     * {@code this}.
     */
    private final Map<UUID, Latest> latestSingle = new HashMap<>();

    private final AtomicLongArray changesHeard = new AtomicLongArray(STRIPES);

    private final AtomicLong jobsCreated = new AtomicLong();

    public PollCache(JobChangeFeed feed, JsonMapper jsonMapper, PollCacheProperties properties) {
        this.feed = feed;
        this.jsonMapper = jsonMapper;
        this.maxJobs = properties.maxJobs();
        this.jobs = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Cached> eldest) {
                if (size() <= maxJobs) {
                    return false;
                }
                forgetLatest(eldest.getValue());
                return true;
            }
        };
        feed.onJobChange(this::changed);
    }

    /**
     * The kept answer of the job, when it is still current as far as this instance can
     * know; the caller checks the organisation.
     */
    public Optional<Cached> job(UUID jobId) {
        long connection = feed.listeningConnection();
        if (connection == 0) {
            return Optional.empty();
        }
        synchronized (this) {
            Cached cached = jobs.get(jobId);
            return cached != null && cached.connection() == connection ? Optional.of(cached) : Optional.empty();
        }
    }

    /**
     * The kept answer of the restaurant's latest single-restaurant job. A job that
     * completed stops being the latest when the restaurant gets a new one, which only
     * that new job's creation tells: its answer counts only while no job was created
     * since it was read.
     */
    public Optional<Cached> latestSingle(UUID restaurantId) {
        long connection = feed.listeningConnection();
        if (connection == 0) {
            return Optional.empty();
        }
        synchronized (this) {
            Latest latest = latestSingle.get(restaurantId);
            if (latest == null) {
                return Optional.empty();
            }
            Cached cached = jobs.get(latest.jobId());
            if (cached == null || cached.connection() != connection) {
                return Optional.empty();
            }
            if (JobStatus.COMPLETED.value().equals(cached.status()) && latest.created() != jobsCreated.get()) {
                return Optional.empty();
            }
            return Optional.of(cached);
        }
    }

    /**
     * Taken before a read of the database, so that what the read found can be offered
     * afterwards; a ticket taken while no connection listens keeps nothing.
     */
    public Ticket ticket() {
        long[] heard = new long[STRIPES];
        for (int i = 0; i < STRIPES; i++) {
            heard[i] = changesHeard.get(i);
        }
        return new Ticket(feed.listeningConnection(), jobsCreated.get(), heard);
    }

    /**
     * Keeps what a read found, unless: no connection listened throughout; a change of a
     * job in the same stripe was heard since the ticket (the read may be older than that
     * change); a newer answer is kept already; or it is a batch job still pending, whose
     * scheduled time a batch start changes without a history entry.
     * @param latestSingle whether the read was of the restaurant's latest
     * single-restaurant job
     */
    public void offer(Ticket ticket, UUID organisationId, StoredProgress answer, boolean latestSingle) {
        if (maxJobs == 0 || ticket.connection() == 0 || ticket.connection() != feed.listeningConnection()) {
            return;
        }
        if (answer.batchJobId() != null && JobStatus.PENDING.value().equals(answer.status())) {
            return;
        }
        int stripe = stripe(answer.jobId());
        // Written once here rather than on every poll it answers: the same mapper writes
        // it as the answer would.
        byte[] json = jsonMapper.writeValueAsBytes(answer);
        synchronized (this) {
            if (changesHeard.get(stripe) != ticket.heard()[stripe]) {
                return;
            }
            Cached kept = jobs.get(answer.jobId());
            if (kept == null || kept.connection() != ticket.connection() || kept.version() < answer.version()) {
                jobs.put(answer.jobId(),
                        new Cached(answer.jobId(), organisationId, answer.restaurantId(), answer.status(),
                                answer.version(), json, JobETags.of(answer.jobId(), answer.version()),
                                ticket.connection()));
            }
            if (latestSingle) {
                this.latestSingle.put(answer.restaurantId(), new Latest(answer.jobId(), ticket.created()));
            }
        }
    }

    /** Jobs kept. */
    public int size() {
        synchronized (this) {
            return jobs.size();
        }
    }

    /** A change committed: the job is at {@code version} now. */
    void changed(UUID jobId, long version) {
        // Counted before the kept answer is looked at: a read under way sees the count
        // when it offers.
        changesHeard.incrementAndGet(stripe(jobId));
        if (version == CREATED_VERSION) {
            jobsCreated.incrementAndGet();
        }
        synchronized (this) {
            Cached kept = jobs.get(jobId);
            if (kept != null && kept.version() < version) {
                jobs.remove(jobId);
                forgetLatest(kept);
            }
        }
    }

    /**
     * A restaurant's latest job is only worth knowing while its answer is kept; guarded
     * by {@code this}.
     */
    private void forgetLatest(Cached dropped) {
        Latest latest = latestSingle.get(dropped.restaurantId());
        if (latest != null && latest.jobId().equals(dropped.jobId())) {
            latestSingle.remove(dropped.restaurantId());
        }
    }

    private static int stripe(UUID jobId) {
        return (jobId.hashCode() & Integer.MAX_VALUE) % STRIPES;
    }

    /**
     * A kept answer: the JSON a poll answers with its ETag, the job's organisation for
     * the per-request check, and what the cache itself needs (the answer as objects is
     * not kept: the JSON alone is most of an entry's size).
     */
    public record Cached(UUID jobId, UUID organisationId, UUID restaurantId, String status, long version, byte[] json,
            String etag, long connection) {
    }

    /**
     * What a read saw before it ran: the listening connection, jobs created and changes
     * heard so far.
     */
    public record Ticket(long connection, long created, long[] heard) {

        /** Whether the read may be kept at all. */
        public boolean listening() {
            return connection != 0;
        }
    }

    private record Latest(UUID jobId, long created) {
    }

}
