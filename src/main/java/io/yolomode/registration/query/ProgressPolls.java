package io.yolomode.registration.query;

import java.util.Optional;
import java.util.UUID;

import io.yolomode.registration.progress.StoredProgress;
import io.yolomode.registration.security.Caller;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;

/**
 * Answers the progress polls (a job by id, a restaurant's latest single-restaurant job):
 * from the poll cache when it holds the job's current answer for the caller's
 * organisation, else from the database, keeping what was read. While no connection hears
 * the changes every poll reads the database as it did before there was a cache: the
 * version alone for a conditional request, the progress otherwise.
 */
@Service
public class ProgressPolls {

    private final JobQueries queries;

    private final PollCache cache;

    ProgressPolls(JobQueries queries, PollCache cache) {
        this.queries = queries;
        this.cache = cache;
    }

    /**
     * The job's progress (or 304); empty when the caller's organisation has no such job.
     */
    public Optional<ResponseEntity<?>> job(Caller caller, UUID jobId, String ifNoneMatch) {
        Optional<PollCache.Cached> cached = cache.job(jobId).filter(kept -> visible(caller, kept));
        if (cached.isPresent()) {
            return Optional.of(JobETags.answer(ifNoneMatch, cached.get()));
        }
        PollCache.Ticket ticket = cache.ticket();
        if (!ticket.listening()) {
            Optional<? extends ResponseEntity<?>> answer = JobETags.answer(ifNoneMatch,
                    () -> queries.currentTag(caller, jobId), () -> queries.storedProgress(caller, jobId));
            return answer.map(ResponseEntity.class::cast);
        }
        return queries.storedProgress(caller, jobId).map(read -> {
            cache.offer(ticket, caller.organisationId(), read, false);
            return JobETags.answer(ifNoneMatch, JobETags.of(read.jobId(), read.version()), read);
        });
    }

    /**
     * The progress (or 304) of the restaurant's latest single-restaurant job;
     * {@code not_started} when it has none; 404 when the restaurant is not the caller's.
     */
    public ResponseEntity<?> latestSingle(Caller caller, UUID restaurantId, String ifNoneMatch) {
        Optional<PollCache.Cached> cached = cache.latestSingle(restaurantId).filter(kept -> visible(caller, kept));
        if (cached.isPresent()) {
            return JobETags.answer(ifNoneMatch, cached.get());
        }
        PollCache.Ticket ticket = cache.ticket();
        Optional<ResponseEntity<StoredProgress>> answer;
        if (!ticket.listening()) {
            answer = JobETags.answer(ifNoneMatch, () -> queries.latestSingleTag(caller, restaurantId),
                    () -> queries.latestSingleProgress(caller, restaurantId));
        }
        else {
            answer = queries.latestSingleProgress(caller, restaurantId).map(read -> {
                cache.offer(ticket, caller.organisationId(), read, true);
                return JobETags.answer(ifNoneMatch, JobETags.of(read.jobId(), read.version()), read);
            });
        }
        return answer.isPresent() ? answer.get() : ResponseEntity.ok(queries.notStarted(caller, restaurantId));
    }

    /**
     * Another organisation's job is answered as today, from the database: as if there
     * were none.
     */
    private static boolean visible(Caller caller, PollCache.Cached kept) {
        return kept.organisationId().equals(caller.organisationId());
    }

}
