package io.yolomode.registration.downstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.yolomode.registration.system.StorableText;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;

/**
 * The only place that talks HTTP to the registration API: one call per invocation, with
 * the service key, the organisation, the idempotency key and a request id, answered as a
 * {@link CallOutcome}. Retrying is the caller's business, since every retry is a progress
 * transition.
 * <p>
 * Calls block on the calling thread over pooled keep-alive connections: a sub-step's call
 * costs no hand-over to other threads, which matters when thousands of quick calls run a
 * minute. Because a blocked socket read does not notice an interrupt, a call is aborted
 * through its run's {@link CallAborts}, which closes its connection.
 * <p>
 * The sub-step's timeout is a deadline for the whole answer, not only for each read: an
 * answer that trickles in a byte at a time would keep every read alive for ever. At the
 * deadline the call's connection is closed and the attempt ends as a timeout.
 */
@Component
public class RegistrationApiClient implements DisposableBean {

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private static final int MAX_BODY_READ = 1024 * 1024;

    private final DownstreamProperties properties;

    private final JsonMapper jsonMapper;

    private final CloseableHttpClient httpClient;

    private final ConcurrentMap<Duration, RequestConfig> configsByTimeout = new ConcurrentHashMap<>();

    /**
     * Closes the connections of calls whose deadline has passed; the work per deadline is
     * one close. A call that ends in time takes its deadline off the queue at once: left
     * there, it would keep the request (payload, passwords and service key) in memory
     * until the deadline, ten minutes by default.
     */
    private final ScheduledThreadPoolExecutor deadlines = deadlineExecutor();

    private static ScheduledThreadPoolExecutor deadlineExecutor() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "registration-call-deadline");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    RegistrationApiClient(DownstreamProperties properties, JsonMapper jsonMapper) {
        this.properties = properties;
        this.jsonMapper = jsonMapper;
        this.httpClient = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(properties.maxConnections())
                .setMaxConnPerRoute(properties.maxConnections())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                    .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                    .build())
                .build())
            .evictIdleConnections(TimeValue.ofMinutes(1))
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableCookieManagement()
            .disableAuthCaching()
            .disableContentCompression()
            .build();
    }

    /**
     * Makes the call and waits for its answer, unless {@code aborts} aborts it meanwhile.
     * The passwords the call carries are masked in whatever the answer gives back to be
     * stored.
     */
    public CallOutcome call(SubStepCall call, CallAborts aborts) {
        return Redaction.of(call.payload()).outcome(send(call, aborts));
    }

    private CallOutcome send(SubStepCall call, CallAborts aborts) {
        Duration timeout = call.timeout();
        HttpPost post = new HttpPost(URI.create(properties.baseUrl() + call.path()));
        post.setConfig(configsByTimeout.computeIfAbsent(timeout, RegistrationApiClient::configWithTimeout));
        post.setHeader(HttpHeaders.ACCEPT, "application/json");
        post.setHeader("X-Service-Key", properties.serviceKey());
        post.setHeader("X-Organisation-ID", call.organisationId().toString());
        post.setHeader("Idempotency-Key", call.idempotencyKey());
        post.setHeader("X-Request-ID", requestId().toString());
        post.setEntity(new ByteArrayEntity(jsonMapper.writeValueAsBytes(call.payload()), ContentType.APPLICATION_JSON));
        Runnable abort = post::cancel;
        if (!aborts.register(abort)) {
            return new CallOutcome.Retryable("call aborted", null);
        }
        AtomicBoolean pastDeadline = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            pastDeadline.set(true);
            post.cancel();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            return httpClient.execute(post, response -> classify(HttpStatusCode.valueOf(response.getCode()),
                    response.getFirstHeader(HttpHeaders.RETRY_AFTER), read(response)));
        }
        catch (SocketTimeoutException ex) {
            return new CallOutcome.Retryable("no answer within " + timeout, null);
        }
        catch (IOException ex) {
            if (pastDeadline.get()) {
                return new CallOutcome.Retryable("no answer within " + timeout, null);
            }
            if (post.isCancelled()) {
                return new CallOutcome.Retryable("call aborted", null);
            }
            return new CallOutcome.Retryable("connection error: " + ex.getClass().getSimpleName()
                    + (ex.getMessage() == null ? "" : ": " + ex.getMessage()), null);
        }
        finally {
            deadline.cancel(false);
            aborts.deregister(abort);
        }
    }

    @Override
    public void destroy() throws IOException {
        deadlines.shutdownNow();
        httpClient.close();
    }

    /**
     * A random (version 4) UUID for the call's X-Request-ID: it only has to be unique, so
     * it comes from the thread's own generator, not from the shared secure one.
     */
    static UUID requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private static RequestConfig configWithTimeout(Duration responseTimeout) {
        return RequestConfig.custom().setResponseTimeout(Timeout.of(responseTimeout)).build();
    }

    /**
     * Classifies an answer by section 3 of the design. Text from the answer becomes the
     * sub-step's result or error, so every string and key PostgreSQL cannot store (NUL, a
     * lone surrogate, also one left by cutting the text short) is replaced by U+FFFD on
     * its way out.
     */
    private CallOutcome classify(HttpStatusCode status, Header retryAfterHeader, String body) {
        CallOutcome outcome = classifyAsSent(status, retryAfterHeader, body);
        if (outcome instanceof CallOutcome.Succeeded succeeded) {
            return new CallOutcome.Succeeded(storable(succeeded.body()));
        }
        if (outcome instanceof CallOutcome.Failed failed) {
            return new CallOutcome.Failed(StorableText.replaceUnstorable(failed.error()));
        }
        CallOutcome.Retryable retryable = (CallOutcome.Retryable) outcome;
        return new CallOutcome.Retryable(StorableText.replaceUnstorable(retryable.error()), retryable.retryAfter());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> storable(Map<String, Object> result) {
        return (Map<String, Object>) StorableText.replaceUnstorable(result);
    }

    private CallOutcome classifyAsSent(HttpStatusCode status, Header retryAfterHeader, String body) {
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
            Duration retryAfter = code == 429 || code == 503 ? retryAfter(retryAfterHeader) : null;
            return new CallOutcome.Retryable(error, retryAfter);
        }
        return new CallOutcome.Failed(error);
    }

    private Map<String, Object> parseObject(@Nullable String body) {
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

    private static @Nullable Duration retryAfter(@Nullable Header header) {
        String value = header == null ? null : header.getValue();
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

    private static String read(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return "";
        }
        try (InputStream body = entity.getContent()) {
            byte[] bytes = body.readNBytes(MAX_BODY_READ);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

}
