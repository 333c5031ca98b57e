package io.yolomode.registration.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.runner.JobRunner;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.TestDownstream;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Claims take the oldest {@code scheduled_at} first, whatever order the jobs were created
 * in: with every slot busy, the job created second but due earlier gets the first slot
 * that frees, and the other keeps waiting.
 */
class ClaimOrderTest extends CallerTestSupport {

    @Autowired
    JobRunner runner;

    @Test
    void theJobDueEarliestIsClaimedFirstNotTheOneCreatedFirst() {
        List<UUID> busy = new ArrayList<>();
        List<UUID> queued = new ArrayList<>();
        try {
            for (int i = 0; i < runner.capacity(); i++) {
                busy.add(jobs.start(heldRestaurant("Busy " + i), Map.of()));
            }
            await().atMost(Duration.ofSeconds(30))
                .until(() -> runner.runningJobIds().containsAll(busy)
                        && runner.runningJobIds().size() == runner.capacity());
            UUID createdFirst = jobs.start(heldRestaurant("Created First"), Map.of());
            UUID dueFirst = jobs.start(heldRestaurant("Due First"), Map.of());
            queued.addAll(List.of(createdFirst, dueFirst));
            jdbc.sql("update registration_jobs set scheduled_at = now() - interval '1 minute' where id = ?")
                .param(createdFirst)
                .update();
            jdbc.sql("update registration_jobs set scheduled_at = now() - interval '2 minutes' where id = ?")
                .param(dueFirst)
                .update();
            assertThat(List.of(status(createdFirst), status(dueFirst))).as("no slot was free")
                .containsExactly("pending", "pending");

            assertThat(api.postJson("/api/registration/jobs/" + busy.get(0) + "/cancel", token, Map.of()).status())
                .isEqualTo(202);

            await().atMost(Duration.ofSeconds(30)).until(() -> !"pending".equals(status(dueFirst)));
            assertThat(status(createdFirst)).as("still waiting for a slot").isEqualTo("pending");
        }
        finally {
            queued.forEach(jobId -> api.postJson("/api/registration/jobs/" + jobId + "/cancel", token, Map.of()));
            busy.forEach(jobId -> api.postJson("/api/registration/jobs/" + jobId + "/cancel", token, Map.of()));
            await().atMost(Duration.ofSeconds(30))
                .until(() -> runner.runningJobIds()
                    .stream()
                    .noneMatch(jobId -> busy.contains(jobId) || queued.contains(jobId)));
        }
    }

    /**
     * A restaurant whose account call answers 503 asking to come back in a minute: its
     * run holds a slot.
     */
    private UUID heldRestaurant(String name) {
        UUID restaurant = data.restaurant(organisation, name);
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/register-account")
            .willReturn(TestDownstream.status(503, "{\"message\": \"later\"}").withHeader("Retry-After", "60")));
        return restaurant;
    }

    private String status(UUID jobId) {
        return jdbc.sql("select status from registration_jobs where id = ?").param(jobId).query(String.class).single();
    }

}
