package io.yolomode.registration.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.ObjLongConsumer;

import io.yolomode.registration.progress.StoredProgress;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The poll cache's rules, without Spring or a database: a feed the test drives stands for
 * the listening connection and the changes it hears.
 */
class PollCacheTest {

    private final TestFeed feed = new TestFeed();

    private final PollCache cache = new PollCache(feed, JsonMapper.builder().build(), new PollCacheProperties(3));

    private final UUID organisation = UUID.randomUUID();

    private final UUID restaurant = UUID.randomUUID();

    private final UUID jobId = UUID.randomUUID();

    @Test
    void aReadJobIsAnsweredFromMemoryWithItsTagAndOrganisation() {
        cache.offer(cache.ticket(), organisation, answer(jobId, "in_progress", 4), false);

        PollCache.Cached cached = cache.job(jobId).orElseThrow();
        assertThat(cached.version()).isEqualTo(4);
        assertThat(cached.etag()).isEqualTo(JobETags.of(jobId, 4));
        assertThat(cached.organisationId()).isEqualTo(organisation);
        assertThat(cache.latestSingle(restaurant)).as("read by id, not as the restaurant's latest").isEmpty();
    }

    @Test
    void aNewerChangeDropsTheAnswerAndAnOlderOrEqualOneKeepsIt() {
        cache.offer(cache.ticket(), organisation, answer(jobId, "in_progress", 4), true);

        feed.change(jobId, 3);
        feed.change(jobId, 4);
        assertThat(cache.job(jobId)).as("changes the answer already has").isPresent();

        feed.change(jobId, 5);
        assertThat(cache.job(jobId)).isEmpty();
        assertThat(cache.latestSingle(restaurant)).isEmpty();
    }

    @Test
    void anAnswerNeverGoesBackwards() {
        PollCache.Ticket slowRead = cache.ticket();
        cache.offer(cache.ticket(), organisation, answer(jobId, "in_progress", 6), false);

        cache.offer(slowRead, organisation, answer(jobId, "in_progress", 5), false);

        assertThat(cache.job(jobId).orElseThrow().version()).isEqualTo(6);
    }

    @Test
    void aReadDuringWhichItsJobChangedIsNotKept() {
        PollCache.Ticket ticket = cache.ticket();
        feed.change(jobId, 5);

        cache.offer(ticket, organisation, answer(jobId, "in_progress", 4), false);

        assertThat(cache.job(jobId)).isEmpty();
        cache.offer(cache.ticket(), organisation, answer(jobId, "in_progress", 5), false);
        assertThat(cache.job(jobId)).isPresent();
    }

    @Test
    void nothingIsAnsweredOrKeptWhileNoConnectionListensNorAfterItWasReplaced() {
        cache.offer(cache.ticket(), organisation, answer(jobId, "in_progress", 4), true);

        feed.connection = 0;
        assertThat(cache.job(jobId)).isEmpty();
        assertThat(cache.latestSingle(restaurant)).isEmpty();
        assertThat(cache.ticket().listening()).isFalse();
        UUID other = UUID.randomUUID();
        cache.offer(cache.ticket(), organisation, answer(other, "in_progress", 1), false);

        feed.connection = 2;
        assertThat(cache.job(jobId)).as("changes may have been missed while it was down").isEmpty();
        assertThat(cache.latestSingle(restaurant)).isEmpty();
        assertThat(cache.job(other)).isEmpty();

        PollCache.Ticket beforeTheFailure = cache.ticket();
        feed.connection = 3;
        cache.offer(beforeTheFailure, organisation, answer(jobId, "in_progress", 4), false);
        assertThat(cache.job(jobId)).as("read while the earlier connection listened").isEmpty();
    }

    @Test
    void itKeepsAtMostTheConfiguredJobsDroppingTheLeastRecentlyRead() {
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID id = UUID.randomUUID();
            jobs.add(id);
            cache.offer(cache.ticket(), organisation, new StoredProgress(true, id, UUID.randomUUID(), null,
                    "in_progress", "phase1", "{}", "{}", null, null, null, null, Instant.EPOCH, 1), true);
        }
        cache.job(jobs.get(0));

        UUID fourth = UUID.randomUUID();
        cache.offer(cache.ticket(), organisation, answer(fourth, "in_progress", 1), true);

        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.job(jobs.get(1))).as("least recently read").isEmpty();
        assertThat(cache.job(jobs.get(0))).isPresent();
        assertThat(cache.job(jobs.get(2))).isPresent();
        assertThat(cache.latestSingle(restaurant)).isPresent();
        assertThat(new PollCache(new TestFeed(), JsonMapper.builder().build(), new PollCacheProperties(0)))
            .satisfies(none -> {
                none.offer(none.ticket(), organisation, answer(jobId, "in_progress", 1), true);
                assertThat(none.size()).isZero();
            });
    }

    @Test
    void aRestaurantWhoseLatestJobCompletedIsReadAgainOnceAnyJobIsCreated() {
        UUID running = UUID.randomUUID();
        UUID runningRestaurant = UUID.randomUUID();
        cache.offer(cache.ticket(), organisation, answer(jobId, "completed", 9), true);
        cache.offer(cache.ticket(), organisation, new StoredProgress(true, running, runningRestaurant, null,
                "in_progress", "phase2", "{}", "{}", null, null, null, null, Instant.EPOCH, 3), true);

        feed.change(UUID.randomUUID(), PollCache.CREATED_VERSION);

        assertThat(cache.latestSingle(restaurant)).as("the new job may be this restaurant's").isEmpty();
        assertThat(cache.job(jobId)).as("the completed job itself has not changed").isPresent();
        assertThat(cache.latestSingle(runningRestaurant)).as("a restaurant with an unfinished job gets no new one")
            .isPresent();
    }

    @Test
    void aPendingBatchJobIsNotKeptSinceItsBatchStartIsNoHistoryEntry() {
        cache.offer(cache.ticket(), organisation, new StoredProgress(true, jobId, restaurant, UUID.randomUUID(),
                "pending", "phase1", "{}", "{}", null, null, null, null, Instant.EPOCH, 0), false);

        assertThat(cache.job(jobId)).isEmpty();
    }

    private StoredProgress answer(UUID id, String status, long version) {
        return new StoredProgress(true, id, restaurant, null, status, "phase1", "{}", "{}", null, null, null, null,
                Instant.EPOCH, version);
    }

    /**
     * Stands for the listening connection: which one listens, and the changes it hears.
     */
    private static final class TestFeed implements JobChangeFeed {

        private final List<ObjLongConsumer<UUID>> listeners = new ArrayList<>();

        long connection = 1;

        @Override
        public void onJobChange(ObjLongConsumer<UUID> listener) {
            listeners.add(listener);
        }

        @Override
        public long listeningConnection() {
            return connection;
        }

        void change(UUID jobId, long version) {
            listeners.forEach(listener -> listener.accept(jobId, version));
        }

    }

}
