package io.yolomode.registration.downstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import lombok.extern.slf4j.Slf4j;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * The only place that talks HTTP to the registration API: one call per invocation, with the service key, the
 * organisation, the idempotency key and a request id, answered as a {@link CallOutcome}. Retrying is the
 * caller's business, since every retry is a progress transition.
 */
@Slf4j
@Component
public class RegistrationApiClient {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private static final int MAX_BODY_READ = 1024 * 1024;

    private final DownstreamProperties properties;

    private final JsonMapper jsonMapper;

    private final HttpClient httpClient;

    private final ConcurrentMap<Duration, RestClient> clientsByTimeout = new ConcurrentHashMap<>();

    RegistrationApiClient(DownstreamProperties properties, JsonMapper jsonMapper) {
        this.properties = properties;
        this.jsonMapper = jsonMapper;
        this.httpClient = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public CallOutcome call(SubStepCall call) {
        RestClient client = clientsByTimeout.computeIfAbsent(properties.responseTimeoutFor(call.subStepKey()),
                this::clientWithTimeout);
        try {
            return client.post()
                    .uri(properties.baseUrl() + call.path())
                    .contentType(MediaType.APPLICATION_JSON)
                    .accept(MediaType.APPLICATION_JSON)
                    .header("X-Service-Key", properties.serviceKey())
                    .header("X-Organisation-ID", call.organisationId().toString())
                    .header("Idempotency-Key", call.idempotencyKey())
                    .header("X-Request-ID", UUID.randomUUID().toString())
                    .body(call.payload())
                    .exchange((request, response) -> classify(response.getStatusCode(), response.getHeaders(),
                            read(response.getBody())), true);
        }
        catch (ResourceAccessException ex) {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
            String error = cause instanceof HttpTimeoutException
                    ? "no answer within " + properties.responseTimeoutFor(call.subStepKey())
                    : "connection error: " + cause.getClass().getSimpleName()
                            + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            return new CallOutcome.Retryable(error, null);
        }
    }

    private RestClient clientWithTimeout(Duration responseTimeout) {
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(httpClient);
        factory.setReadTimeout(responseTimeout);
        return RestClient.builder().requestFactory(factory).build();
    }

    private CallOutcome classify(HttpStatusCode status, HttpHeaders headers, String body) {
        Map<String, Object> json = parseObject(body);
        String message = messageOf(json, body, status);
        boolean retryableBody = Boolean.TRUE.equals(json.get("retryable"));
        if (status.is2xxSuccessful()) {
            if (Boolean.FALSE.equals(json.get("success"))) {
                return retryableBody ? new CallOutcome.Retryable(message, null) : new CallOutcome.Failed(message);
            }
            return new CallOutcome.Succeeded(boundedResult(json, body));
        }
        String error = "HTTP " + status.value() + ": " + message;
        int code = status.value();
        if (code == 408 || code == 429 || status.is5xxServerError() || retryableBody) {
            Duration retryAfter = code == 429 || code == 503 ? retryAfter(headers) : null;
            return new CallOutcome.Retryable(error, retryAfter);
        }
        return new CallOutcome.Failed(error);
    }

    private Map<String, Object> parseObject(String body) {
        if (body == null || body.isBlank() || body.charAt(0) != '{') {
            return Map.of();
        }
        try {
            return jsonMapper.readValue(body, JSON_OBJECT);
        }
        catch (JacksonException ex) {
            return Map.of();
        }
    }

    private static String messageOf(Map<String, Object> json, String body, HttpStatusCode status) {
        for (String field : new String[] { "message", "error" }) {
            if (json.get(field) instanceof String text && !text.isBlank()) {
                return text;
            }
        }
        if (json.isEmpty() && body != null && !body.isBlank()) {
            return body.length() > 200 ? body.substring(0, 200) + "..." : body;
        }
        return status.is2xxSuccessful() ? "the API answered success: false" : "no message";
    }

    private Map<String, Object> boundedResult(Map<String, Object> json, String body) {
        long limit = properties.resultMaxSize().toBytes();
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        if (body.length() <= limit) {
            return json.isEmpty() ? Map.of("body", body) : json;
        }
        Map<String, Object> truncated = new LinkedHashMap<>();
        truncated.put("truncated", true);
        truncated.put("size", body.length());
        truncated.put("preview", body.substring(0, (int) Math.min(limit, 1024)));
        return truncated;
    }

    private static Duration retryAfter(HttpHeaders headers) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        }
        catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            }
            catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    private static String read(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BODY_READ);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
