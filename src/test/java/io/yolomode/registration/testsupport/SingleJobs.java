package io.yolomode.registration.testsupport;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dialog's side of a single-restaurant run, through real HTTP: execute, poll, wait
 * for the end.
 */
public final class SingleJobs {

    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");

    private final ApiClient api;

    private final String token;

    public SingleJobs(ApiClient api, String token) {
        this.api = api;
        this.token = token;
    }

    public ApiClient.Response execute(UUID restaurantId, Map<String, Object> formData) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("restaurantId", restaurantId.toString());
        body.put("formData", formData);
        return api.postJson("/api/registration/execute-single-restaurant", token, body);
    }

    /** Executes and answers the job id, failing unless the service accepted the job. */
    public UUID start(UUID restaurantId, Map<String, Object> formData) {
        ApiClient.Response response = execute(restaurantId, formData);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return UUID.fromString(response.json().get("jobId").asString());
    }

    public JsonNode progress(UUID restaurantId) {
        ApiClient.Response response = api.get("/api/registration/single-restaurant-progress/" + restaurantId, token);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    public JsonNode job(UUID jobId) {
        ApiClient.Response response = api.get("/api/registration/jobs/" + jobId, token);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    /** Polls like the dialog until the job has ended, and answers its last progress. */
    public JsonNode awaitEnd(UUID jobId) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = job(jobId);
            return TERMINAL.contains(last[0].get("status").asString());
        });
        return last[0];
    }

    public static JsonNode subStep(JsonNode progress, String phase, String key) {
        return progress.get("phases").get(phase).get("sub_steps").get(key);
    }

    /** A form that makes every one of the twelve sub-steps run. */
    public static Map<String, Object> fullForm(UUID menuId) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("account",
                Map.of("email", "owner@bistro.test", "password", "Acc0unt-Secret!", "phone", "+64 21 555 0100"));
        form.put("restaurant", Map.of("registrationMode", "new_account"));
        form.put("menu", Map.of("selectedMenuId", menuId.toString(), "uploadImages", true, "addOptionSets", true,
                "addItemTags", true));
        form.put("website",
                Map.of("disableGradients", true, "headerEnabled", true, "headerBackgroundSource", "hero", "itemsLayout",
                        "grid", "navTextColor", "#ffffff", "boxTextColor", "#111111", "navLogoTintConfig",
                        Map.of("enabled", true, "color", "#ff0000"), "headerLogoTintConfig", Map.of("enabled", false)));
        form.put("payment", Map.of("includeStripeLink", true));
        form.put("onboarding", Map.of("createOnboardingUser", true, "syncOnboardingRecord", true, "userName",
                "Olive Owner", "userEmail", "olive@bistro.test", "userPassword", "Onb0arding-Secret!"));
        return form;
    }

}
