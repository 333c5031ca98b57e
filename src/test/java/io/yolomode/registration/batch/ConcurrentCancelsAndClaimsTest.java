package io.yolomode.registration.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.yolomode.registration.queue.ClaimedJob;
import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.queue.JobQueue;
import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Everything that locks a batch and its jobs takes the batch row first and then job rows
 * by id: batch cancels, job cancels, claims (the instance's own runner and two more
 * claimers that end what they claim at once) and job ends all run on the same batches at
 * the same time, round after round, and no caller ever sees a deadlock or a 500; every
 * batch ends with counters that match its jobs.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConcurrentCancelsAndClaimsTest extends CallerTestSupport {

    private static final String BATCHES = "/api/registration-batches";

    private static final int ROUNDS = 4;

    private static final int RESTAURANTS = 14;

    private static final Set<String> ENDED = Set.of("completed", "failed", "cancelled");

    @Autowired
    JobQueue store;

    @Test
    void batchCancelsJobCancelsClaimsAndJobEndsNeverDeadlock(CapturedOutput output) throws Exception {
        List<UUID> restaurants = new ArrayList<>();
        for (int i = 0; i < RESTAURANTS; i++) {
            restaurants.add(data.restaurant(organisation, "Contended " + i));
        }
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(7);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                JsonNode created = createStarted("Round " + round, restaurants);
                UUID batchId = UUID.fromString(created.get("batch_job").get("id").asString());
                List<String> jobIds = created.get("registration_jobs")
                    .findValues("job_id")
                    .stream()
                    .map(JsonNode::asString)
                    .toList();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> work = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    work.add(threads.submit(() -> {
                        go.await();
                        expect(api.postJson(BATCHES + "/" + batchId + "/cancel", token, Map.of()), problems);
                        return null;
                    }));
                }
                for (int i = 0; i < 3; i++) {
                    List<String> order = new ArrayList<>(jobIds);
                    Collections.shuffle(order);
                    work.add(threads.submit(() -> {
                        go.await();
                        for (String jobId : order) {
                            expect(api.postJson("/api/registration/jobs/" + jobId + "/cancel", token, Map.of()),
                                    problems);
                        }
                        return null;
                    }));
                }
                for (int i = 0; i < 2; i++) {
                    String owner = "contending-claimer-" + i;
                    work.add(threads.submit(() -> {
                        go.await();
                        claimAndEnd(owner, batchId, problems);
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> future : work) {
                    future.get(60, TimeUnit.SECONDS);
                }
                JsonNode ended = await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> api.get(BATCHES + "/" + batchId, token).json().get("batch_job"),
                            batch -> ENDED.contains(batch.get("status").asString()));
                assertCountersMatchJobs(batchId, ended);
            }
        }
        finally {
            threads.shutdownNow();
        }

        assertThat(problems).isEmpty();
        assertThat(output.getAll()).doesNotContainIgnoringCase("deadlock");
    }

    /**
     * Claims like a runner would, and ends each claimed job of the batch at once; others
     * are handed back.
     */
    private void claimAndEnd(String owner, UUID batchId, Queue<String> problems) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until && !ENDED.contains(batchStatus(batchId))) {
            try {
                for (ClaimedJob job : store.claim(owner, 3, 3, 100, Duration.ofSeconds(30))) {
                    if (batchId.equals(job.batchJobId())) {
                        store.finish(job.lease(), job.batchJobId(),
                                job.cancelRequested() ? JobStatus.CANCELLED : JobStatus.COMPLETED, null, null, null);
                    }
                    else {
                        store.release(job.lease());
                    }
                }
            }
            catch (RuntimeException ex) {
                problems.add(owner + ": " + ex);
            }
        }
    }

    private String batchStatus(UUID batchId) {
        return jdbc.sql("select status from registration_batch_jobs where id = ?")
            .param(batchId)
            .query(String.class)
            .single();
    }

    private void assertCountersMatchJobs(UUID batchId, JsonNode batch) {
        Map<String, Integer> jobs = new LinkedHashMap<>();
        jdbc.sql("select status, count(*) as n from registration_jobs where batch_job_id = ? group by status")
            .param(batchId)
            .query((rs, row) -> jobs.put(rs.getString("status"), rs.getInt("n")))
            .list();
        assertThat(jobs.keySet()).as("every job ended").allMatch(ENDED::contains);
        assertThat(batch.get("completed_restaurants").asInt()).isEqualTo(jobs.getOrDefault("completed", 0));
        assertThat(batch.get("failed_restaurants").asInt()).isEqualTo(jobs.getOrDefault("failed", 0));
        assertThat(batch.get("cancelled_restaurants").asInt()).isEqualTo(jobs.getOrDefault("cancelled", 0));
        assertThat(jobs.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(RESTAURANTS);
    }

    private static void expect(ApiClient.Response response, Queue<String> problems) {
        if (response.status() != 202 && response.status() != 409) {
            problems.add(response.toString());
        }
    }

    private JsonNode createStarted(String name, List<UUID> restaurants) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("restaurantIds", restaurants.stream().map(UUID::toString).toList());
        body.put("executionConfig", Map.of());
        body.put("autoStart", true);
        ApiClient.Response response = api.postJson(BATCHES, token, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

}
