package io.yolomode.registration.local;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import lombok.extern.slf4j.Slf4j;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The local profile's stand-in for the registration API, under {@code /simulator}: the
 * twelve endpoints with shortened but real-feeling latencies, the first call of every
 * code generation answered 503 so that each run shows a retry, and occasional other
 * transient failures. It remembers idempotency keys like the real API should.
 */
@Slf4j
@Profile("local")
@Conditional(EmbeddedDatabaseCondition.class)
@RestController
@RequestMapping("/simulator")
class SimulatedRegistrationApi {

    private static final Set<String> ACTIONS = Set.of("register-account", "generate-code-injections",
            "create-onboarding-user", "register-restaurant", "configure-website", "configure-services",
            "configure-payment", "import-menu-direct", "update-onboarding-record", "add-option-sets", "add-item-tags");

    private final Properties properties;

    private final Map<String, Map<String, Object>> answered = new ConcurrentHashMap<>();

    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

    SimulatedRegistrationApi(Properties properties) {
        this.properties = properties;
    }

    @PostMapping("/api/registration/{action}")
    ResponseEntity<Map<String, Object>> registration(@PathVariable String action,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey,
            @RequestBody(required = false) @Nullable Map<String, Object> body) {
        if (!ACTIONS.contains(action)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .body(Map.of("success", false, "message", "unknown action " + action));
        }
        return answer(action, idempotencyKey);
    }

    @PostMapping("/api/menus/{menuId}/upload-images")
    ResponseEntity<Map<String, Object>> uploadImages(@PathVariable String menuId,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
        return answer("upload-images", idempotencyKey);
    }

    private ResponseEntity<Map<String, Object>> answer(String action, @Nullable String idempotencyKey) {
        String key = idempotencyKey == null ? UUID.randomUUID().toString() : idempotencyKey;
        pause();
        Map<String, Object> earlier = answered.get(key);
        if (earlier != null) {
            return ResponseEntity.ok(earlier);
        }
        boolean firstCodeGeneration = action.equals("generate-code-injections") && failedOnce.add(key);
        if (firstCodeGeneration || ThreadLocalRandom.current().nextDouble() < properties.failureRate()) {
            log.info("Simulated registration API: 503 for {} ({})", action, key);
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("success", false, "message", "Simulated overload, try again", "retryable", true));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("success", true);
        result.put("action", action);
        if (action.equals("generate-code-injections")) {
            result.put("codeInjectionId", "ci_" + UUID.randomUUID().toString().substring(0, 8));
            result.put("generatedAt", Instant.now().toString());
            result.put("filePaths", List.of("head-injection.html", "body-injection.html"));
        }
        answered.put(key, result);
        return ResponseEntity.ok(result);
    }

    private void pause() {
        long min = properties.minLatency().toMillis();
        long max = Math.max(min, properties.maxLatency().toMillis());
        try {
            TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(min, max + 1));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @param minLatency shortest answer time
     * @param maxLatency longest answer time
     * @param failureRate share of calls answered 503 besides the first code generation
     */
    @ConfigurationProperties("registration.simulator")
    record Properties(@DefaultValue("500ms") Duration minLatency, @DefaultValue("3s") Duration maxLatency,
            @DefaultValue("0.05") double failureRate) {
    }

}
