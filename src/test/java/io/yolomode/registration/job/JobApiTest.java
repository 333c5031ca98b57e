package io.yolomode.registration.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestDownstream;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The job endpoints an admin view and a polling dialog use: listing, conditional
 * progress, cancel before start, and organisation scoping on every one of them.
 */
class JobApiTest extends CallerTestSupport {

    @Test
    void listingIsScopedPagedNewestFirstAndFilteredByStatus() {
        List<UUID> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(jobs.start(data.restaurant(organisation, "Listed " + i), Map.of()));
        }
        created.forEach(jobs::awaitEnd);
        UUID failing = data.restaurant(organisation, "Listed failing");
        TestDownstream.stub(TestDownstream.callOf(failing, "/api/registration/configure-services")
            .willReturn(TestDownstream.status(400, "{\"message\": \"no\"}")));
        UUID failed = jobs.start(failing, Map.of());
        jobs.awaitEnd(failed);
        UUID otherOrganisation = data.organisation();
        new SingleJobs(api, TestTokens.forOrganisation(otherOrganisation))
            .start(data.restaurant(otherOrganisation, "Not listed"), Map.of());

        JsonNode firstPage = api.get("/api/registration/jobs?page=0&size=4", token).json();
        JsonNode secondPage = api.get("/api/registration/jobs?page=1&size=4", token).json();

        assertThat(firstPage.get("totalElements").asLong()).isEqualTo(6);
        assertThat(firstPage.get("totalPages").asInt()).isEqualTo(2);
        assertThat(firstPage.get("content")).hasSize(4);
        assertThat(secondPage.get("content")).hasSize(2);
        List<String> listed = new ArrayList<>();
        firstPage.get("content").forEach(job -> listed.add(job.get("jobId").asString()));
        secondPage.get("content").forEach(job -> listed.add(job.get("jobId").asString()));
        List<String> newestFirst = new ArrayList<>(created.stream().map(UUID::toString).toList());
        newestFirst.add(failed.toString());
        java.util.Collections.reverse(newestFirst);
        assertThat(listed).isEqualTo(newestFirst);
        assertThat(firstPage.get("content").get(0).get("restaurantName").asString()).isEqualTo("Listed failing");
        assertThat(firstPage.get("content").get(0).get("currentPhase").asString()).isEqualTo("phase2");

        JsonNode failedOnly = api.get("/api/registration/jobs?status=failed", token).json();
        assertThat(failedOnly.get("content")).hasSize(1);
        assertThat(failedOnly.get("content").get(0).get("jobId").asString()).isEqualTo(failed.toString());
        JsonNode byRestaurant = api.get("/api/registration/jobs?restaurantId=" + failing, token).json();
        assertThat(byRestaurant.get("totalElements").asLong()).isEqualTo(1);

        assertThat(api.get("/api/registration/jobs?status=running", token).status()).isEqualTo(400);
        assertThat(api.get("/api/registration/jobs?size=1000", token).status()).isEqualTo(400);
        assertThat(api.get("/api/registration/jobs?organisationId=" + otherOrganisation, token).status())
            .isEqualTo(403);
        String superAdmin = TestTokens.withClaims(organisation, Duration.ofHours(1), Map.of("role", "super_admin"));
        assertThat(api.get("/api/registration/jobs?organisationId=" + otherOrganisation, superAdmin)
            .json()
            .get("totalElements")
            .asLong()).isEqualTo(1);
        assertThat(api.get("/api/registration/jobs?size=100", superAdmin).json().get("totalElements").asLong())
            .isGreaterThanOrEqualTo(7);
    }

    @Test
    void anotherOrganisationsJobIsNotFoundOnEveryEndpoint() {
        UUID jobId = jobs.start(data.restaurant(organisation, "Private"), Map.of());
        String intruder = TestTokens.forOrganisation(data.organisation());

        assertThat(api.get("/api/registration/jobs/" + jobId, intruder).status()).isEqualTo(404);
        assertThat(api.get("/api/registration/jobs/" + jobId + "/history", intruder).status()).isEqualTo(404);
        assertThat(api.postJson("/api/registration/jobs/" + jobId + "/cancel", intruder, Map.of()).status())
            .isEqualTo(404);
        assertThat(api.get("/api/registration/jobs/" + jobId, intruder, Map.of("If-None-Match", "*")).status())
            .isEqualTo(404);
        assertThat(api.get("/api/registration/jobs", intruder).json().get("totalElements").asLong()).isZero();
        jobs.awaitEnd(jobId);
    }

    @Test
    void progressCarriesAnETagThatOnlyChangesWithTheJob() {
        UUID restaurant = data.restaurant(organisation, "Conditional Cafe");
        TestDownstream.succeedAfter(restaurant, "/api/registration/configure-payment", 1500);
        UUID jobId = jobs.start(restaurant, Map.of());
        // Until only the slow call is under way: no write can come between the polls
        // below.
        await().until(() -> {
            JsonNode phase2 = jobs.job(jobId).get("phases").get("phase2").get("sub_steps");
            boolean othersDone = true;
            for (String key : phase2.propertyNames()) {
                othersDone &= key.equals("paymentConfig")
                        || List.of("completed", "skipped", "failed").contains(phase2.get(key).get("status").asString());
            }
            return othersDone && "in_progress".equals(phase2.get("paymentConfig").get("status").asString());
        });

        ApiClient.Response first = api.get("/api/registration/jobs/" + jobId, token);
        ApiClient.Response same = api.get("/api/registration/jobs/" + jobId, token);
        String etag = first.header("ETag");
        assertThat(etag).isNotBlank().isEqualTo(same.header("ETag"));

        ApiClient.Response notModified = api.get("/api/registration/jobs/" + jobId, token,
                Map.of("If-None-Match", etag));
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(notModified.header("ETag")).isEqualTo(etag);
        ApiClient.Response byRestaurant = api.get("/api/registration/single-restaurant-progress/" + restaurant, token,
                Map.of("If-None-Match", etag));
        assertThat(byRestaurant.status()).isEqualTo(304);

        await().until(() -> !etag.equals(api.get("/api/registration/jobs/" + jobId, token).header("ETag")));
        ApiClient.Response changed = api.get("/api/registration/jobs/" + jobId, token, Map.of("If-None-Match", etag));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
        assertThat(changed.json().get("version").asLong()).isGreaterThan(first.json().get("version").asLong());
        jobs.awaitEnd(jobId);
    }

    @Test
    void aJobThatHasNotStartedIsCancelledAtOnceAndCanRunLater() {
        UUID restaurant = data.restaurant(organisation, "Later Lounge");
        ApiClient.Response accepted = api.postJson("/api/registration/execute-single-restaurant", token,
                Map.of("restaurantId", restaurant.toString(), "formData", Map.of(), "scheduledAt",
                        Instant.now().plusSeconds(3600).toString()));
        UUID jobId = UUID.fromString(accepted.json().get("jobId").asString());

        ApiClient.Response cancel = api.postJson("/api/registration/jobs/" + jobId + "/cancel", token, Map.of());

        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.json().get("status").asString()).isEqualTo("cancelled");
        JsonNode cancelled = jobs.job(jobId);
        assertThat(cancelled.get("status").asString()).isEqualTo("cancelled");
        assertThat(SingleJobs.subStep(cancelled, "phase1", "codeGeneration").get("status").asString())
            .isEqualTo("cancelled");
        List<String> history = new ArrayList<>();
        api.get("/api/registration/jobs/" + jobId + "/history", token)
            .json()
            .forEach(entry -> history.add(entry.get("type").asString() + ":" + entry.get("status").asString()));
        assertThat(history).containsExactly("job_created:pending", "job_finished:cancelled");
        assertThat(TestDownstream.callsOf(jobId)).isEmpty();

        UUID again = jobs.start(restaurant, Map.of());
        assertThat(again).isEqualTo(jobId);
        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("completed");
    }

}
