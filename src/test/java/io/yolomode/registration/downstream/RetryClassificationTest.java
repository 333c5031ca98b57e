package io.yolomode.registration.downstream;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.yolomode.registration.pipeline.RetryRule;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rule 1 of the pipeline's calls (docs/design.md, "Outcome of a call"), through the real
 * HTTP client against a real HTTP server: which answers and faults are retried (408, 429,
 * 5xx, connection faults, timeouts, a body with {@code retryable: true}), which
 * Retry-After is honoured (429 and 503, in seconds or as an HTTP date), which answers
 * fail at once (other 4xx, {@code success: false}), and what is kept of an answer. The
 * wait that follows a retryable outcome, {@code retry-after-max} included, is
 * {@code RetryRuleTest}'s; the last tests here join the two.
 */
class RetryClassificationTest {

    private static final String KEY = "servicesConfig";

    /**
     * The sub-step whose answer deadline the timeout tests reach; the others have time to
     * spare.
     */
    private static final String HURRIED_KEY = "paymentConfig";

    private static final String PATH = "/api/registration/configure-services";

    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(400);

    /** The answer deadline of every call but the hurried ones. */
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static WireMockServer sharedServer;

    private static WireMockServer server;

    private final UUID jobId = UUID.randomUUID();

    private final UUID organisationId = UUID.randomUUID();

    private RegistrationApiClient client;

    @BeforeAll
    static void warmUp() throws IOException {
        server = server();
        // the first call of a JVM pays for loading classes on both sides; no test's
        // deadline should see that
        answer(aResponse().withStatus(200).withBody("{}"));
        RegistrationApiClient first = client(properties(server.baseUrl(), DataSize.ofKilobytes(16)));
        first.call(new SubStepCall(UUID.randomUUID(), UUID.randomUUID(), KEY, 1, PATH, Map.of(), TIMEOUT),
                new CallAborts());
        first.destroy();
    }

    /**
     * A client per test, so that mutation testing sees every test run the client's
     * set-up.
     */
    @BeforeEach
    void newClient() {
        server.resetAll();
        client = client(properties(server.baseUrl(), DataSize.ofKilobytes(16)));
    }

    @AfterEach
    void closeClient() throws IOException {
        client.destroy();
    }

    /**
     * One server per JVM, started on first use and stopped when the JVM ends: mutation
     * testing runs this class once per mutant in the same JVM, and starting a server each
     * time would cost more than the tests.
     */
    private static synchronized WireMockServer server() {
        if (sharedServer == null) {
            WireMockServer started = new WireMockServer(wireMockConfig().dynamicPort().templatingEnabled(false));
            started.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
            sharedServer = started;
        }
        return sharedServer;
    }

    // ---- retried
    // ------------------------------------------------------------------------------------------------

    @Test
    void a408IsRetriedWithoutAServerWish() {
        answer(aResponse().withStatus(408).withHeader("Retry-After", "5").withBody("{\"message\": \"too slow\"}"));

        assertThat(call()).isEqualTo(new CallOutcome.Retryable("HTTP 408: too slow", null));
    }

    @Test
    void a429IsRetriedAfterTheSecondsItAsks() {
        answer(aResponse().withStatus(429).withHeader("Retry-After", " 7 ").withBody("{\"error\": \"slow down\"}"));

        assertThat(call()).isEqualTo(new CallOutcome.Retryable("HTTP 429: slow down", Duration.ofSeconds(7)));
    }

    @Test
    void a429IsRetriedAtTheHttpDateItAsks() {
        ZonedDateTime at = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(120);
        answer(aResponse().withStatus(429).withHeader("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(at)));

        CallOutcome.Retryable outcome = (CallOutcome.Retryable) call();

        assertThat(outcome.error()).isEqualTo("HTTP 429: no message");
        // the header has whole seconds and the call takes a moment: about two minutes,
        // never more
        assertThat(outcome.retryAfter()).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(120));
    }

    @Test
    void a429WithAnHttpDateInThePastIsRetriedAtOnce() {
        ZonedDateTime at = ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(5);
        answer(aResponse().withStatus(429).withHeader("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(at)));

        assertThat(((CallOutcome.Retryable) call()).retryAfter()).isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = { "soon", "", "12.5", "Mon, 32 Foo 2026 99:00:00 GMT" })
    void a429WithARetryAfterThatIsNeitherSecondsNorADateIsRetriedOnTheBackoff(String header) {
        answer(aResponse().withStatus(429).withHeader("Retry-After", header));

        assertThat(call()).isEqualTo(new CallOutcome.Retryable("HTTP 429: no message", null));
    }

    @Test
    void a429WithoutRetryAfterIsRetriedOnTheBackoff() {
        answer(aResponse().withStatus(429));

        assertThat(call()).isEqualTo(new CallOutcome.Retryable("HTTP 429: no message", null));
    }

    @Test
    void a503IsRetriedAfterTheSecondsItAsks() {
        answer(aResponse().withStatus(503).withHeader("Retry-After", "30").withBody("{\"message\": \"maintenance\"}"));

        assertThat(call()).isEqualTo(new CallOutcome.Retryable("HTTP 503: maintenance", Duration.ofSeconds(30)));
    }

    @ParameterizedTest
    @ValueSource(ints = { 500, 502, 504 })
    void otherServerErrorsAreRetriedOnTheBackoffWhateverRetryAfterSays(int status) {
        answer(aResponse().withStatus(status).withHeader("Retry-After", "30").withBody("{\"message\": \"boom\"}"));

        assertThat(call()).isEqualTo(new CallOutcome.Retryable("HTTP " + status + ": boom", null));
    }

    @Test
    void aConnectionResetIsRetried() {
        answer(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        assertConnectionError(call());
    }

    @Test
    void aConnectionClosedWithoutAnAnswerIsRetried() {
        answer(aResponse().withFault(Fault.EMPTY_RESPONSE));

        assertConnectionError(call());
    }

    @Test
    void garbageInsteadOfHttpIsRetried() {
        answer(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE));

        assertConnectionError(call());
    }

    @Test
    void aRefusedConnectionIsRetried() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RegistrationApiClient refused = client(properties("http://127.0.0.1:" + closedPort, DataSize.ofKilobytes(16)));
        try {
            CallOutcome outcome = refused.call(call(Map.of()), new CallAborts());

            assertConnectionError(outcome);
            assertThat(((CallOutcome.Retryable) outcome).error()).contains("refused");
        }
        finally {
            refused.destroy();
        }
    }

    @Test
    void noAnswerWithinTheSubStepsTimeoutIsRetried() {
        answer(aResponse().withStatus(200).withBody("{\"success\": true}").withFixedDelay(3_000));

        assertThat(hurriedCall()).isEqualTo(new CallOutcome.Retryable("no answer within " + SHORT_TIMEOUT, null));
    }

    @Test
    void anAnswerStillTricklingInAtTheDeadlineIsRetriedAsATimeout() {
        // a piece every 150 ms keeps each read inside the timeout; the whole takes 3 s
        answer(aResponse().withStatus(200)
            .withBody("{\"success\": true, \"padding\": \"" + "x".repeat(40) + "\"}")
            .withChunkedDribbleDelay(20, 3_000));

        assertThat(hurriedCall()).isEqualTo(new CallOutcome.Retryable("no answer within " + SHORT_TIMEOUT, null));
    }

    @Test
    void aClientErrorWhoseBodySaysRetryableIsRetried() {
        answer(aResponse().withStatus(409).withBody("{\"retryable\": true, \"message\": \"locked, try again\"}"));

        assertThat(call()).isEqualTo(new CallOutcome.Retryable("HTTP 409: locked, try again", null));
    }

    @Test
    void aSuccessFalseWhoseBodySaysRetryableIsRetried() {
        answer(aResponse().withStatus(200).withBody("{\"success\": false, \"retryable\": true, \"error\": \"busy\"}"));

        assertThat(call()).isEqualTo(new CallOutcome.Retryable("busy", null));
    }

    // ---- not retried
    // --------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = { 400, 401, 403, 404, 409, 422, 302 })
    void otherAnswersThatAreNotSuccessesFailAtOnce(int status) {
        answer(aResponse().withStatus(status)
            .withHeader("Retry-After", "5")
            .withBody("{\"message\": \"no such thing\"}"));

        assertThat(call()).isEqualTo(new CallOutcome.Failed("HTTP " + status + ": no such thing"));
    }

    @Test
    void aBodyThatSaysRetryableOnlyAsTextOrFalseDoesNotMakeAClientErrorRetryable() {
        answer(aResponse().withStatus(422).withBody("{\"retryable\": \"true\", \"message\": \"bad phone\"}"));
        assertThat(call()).isEqualTo(new CallOutcome.Failed("HTTP 422: bad phone"));

        answer(aResponse().withStatus(422).withBody("{\"retryable\": false, \"message\": \"bad phone\"}"));
        assertThat(call()).isEqualTo(new CallOutcome.Failed("HTTP 422: bad phone"));
    }

    @Test
    void successFalseFailsAtOnceWithTheBodysMessage() {
        answer(aResponse().withStatus(200).withBody("{\"success\": false, \"message\": \"duplicate email\"}"));
        assertThat(call()).isEqualTo(new CallOutcome.Failed("duplicate email"));

        answer(aResponse().withStatus(201).withBody("{\"success\": false}"));
        assertThat(call()).isEqualTo(new CallOutcome.Failed("the API answered success: false"));
    }

    // ---- messages
    // -----------------------------------------------------------------------------------------------

    @Test
    void theMessageComesFromMessageThenErrorThenTheBodyText() {
        answer(aResponse().withStatus(400).withBody("{\"message\": \"from message\", \"error\": \"from error\"}"));
        assertThat(call()).isEqualTo(new CallOutcome.Failed("HTTP 400: from message"));

        answer(aResponse().withStatus(400).withBody("{\"message\": \"  \", \"error\": \"from error\"}"));
        assertThat(call()).isEqualTo(new CallOutcome.Failed("HTTP 400: from error"));

        answer(aResponse().withStatus(400).withBody("{\"message\": 42, \"code\": 7}"));
        assertThat(call()).isEqualTo(new CallOutcome.Failed("HTTP 400: no message"));

        answer(aResponse().withStatus(400).withBody("plain words"));
        assertThat(call()).isEqualTo(new CallOutcome.Failed("HTTP 400: plain words"));

        answer(aResponse().withStatus(400).withBody("{not json"));
        assertThat(call()).isEqualTo(new CallOutcome.Failed("HTTP 400: {not json"));

        answer(aResponse().withStatus(400).withBody("   "));
        assertThat(call()).isEqualTo(new CallOutcome.Failed("HTTP 400: no message"));
    }

    @Test
    void aLongTextBodyIsCutToTwoHundredCharactersInTheMessage() {
        answer(aResponse().withStatus(500).withBody("e".repeat(200)));
        assertThat(call()).isEqualTo(new CallOutcome.Retryable("HTTP 500: " + "e".repeat(200), null));

        answer(aResponse().withStatus(500).withBody("e".repeat(201)));
        assertThat(call()).isEqualTo(new CallOutcome.Retryable("HTTP 500: " + "e".repeat(200) + "...", null));
    }

    // ---- what a success keeps
    // -----------------------------------------------------------------------------------

    @Test
    void aSuccessKeepsItsJsonBody() {
        answer(aResponse().withStatus(200).withBody("{\"success\": true, \"codeInjectionId\": \"ci-7\"}"));

        assertThat(call()).isEqualTo(new CallOutcome.Succeeded(Map.of("success", true, "codeInjectionId", "ci-7")));
    }

    @Test
    void aSuccessWithoutABodyKeepsAnEmptyResult() {
        answer(aResponse().withStatus(204));
        assertThat(call()).isEqualTo(new CallOutcome.Succeeded(Map.of()));

        answer(aResponse().withStatus(200).withBody("  "));
        assertThat(call()).isEqualTo(new CallOutcome.Succeeded(Map.of()));
    }

    @Test
    void aSuccessThatIsNotAJsonObjectIsKeptAsBody() {
        answer(aResponse().withStatus(200).withBody("OK, done"));
        assertThat(call()).isEqualTo(new CallOutcome.Succeeded(Map.of("body", "OK, done")));

        answer(aResponse().withStatus(200).withBody("[1, 2]"));
        assertThat(call()).isEqualTo(new CallOutcome.Succeeded(Map.of("body", "[1, 2]")));
    }

    @Test
    void aSuccessUpToTheResultLimitIsKeptWholeAndALargerOneTruncated() throws IOException {
        RegistrationApiClient small = client(properties(server.baseUrl(), DataSize.ofBytes(600)));
        try {
            String atLimit = "{\"data\": \"" + "a".repeat(600 - 12) + "\"}";
            answer(aResponse().withStatus(200).withBody(atLimit));
            assertThat(small.call(call(Map.of()), new CallAborts()))
                .isEqualTo(new CallOutcome.Succeeded(Map.of("data", "a".repeat(588))));

            String overLimit = "{\"data\": \"" + "a".repeat(600 - 11) + "\"}";
            answer(aResponse().withStatus(200).withBody(overLimit));
            assertThat(small.call(call(Map.of()), new CallAborts()))
                .isEqualTo(new CallOutcome.Succeeded(truncated(601, overLimit.substring(0, 600))));
        }
        finally {
            small.destroy();
        }
    }

    @Test
    void aTruncatedResultKeepsAPreviewOfAtMostOneKilobyte() {
        String large = "{\"data\": \"" + "b".repeat(20_000) + "\"}";
        answer(aResponse().withStatus(200).withBody(large));

        assertThat(call()).isEqualTo(new CallOutcome.Succeeded(truncated(large.length(), large.substring(0, 1024))));
    }

    @Test
    void textPostgresqlCannotStoreIsReplacedInResultsAndErrors() {
        answer(aResponse().withStatus(200).withBody("{\"name\": \"a\\u0000b\"}"));
        assertThat(call()).isEqualTo(new CallOutcome.Succeeded(Map.of("name", "a\uFFFDb")));

        answer(aResponse().withStatus(400).withBody("{\"message\": \"bad \\u0000 byte\"}"));
        assertThat(call()).isEqualTo(new CallOutcome.Failed("HTTP 400: bad \uFFFD byte"));

        answer(aResponse().withStatus(503).withBody("{\"message\": \"down \\ud800\"}"));
        assertThat(call()).isEqualTo(new CallOutcome.Retryable("HTTP 503: down \uFFFD", null));
    }

    // ---- what is sent, and what is masked
    // -----------------------------------------------------------------------

    @Test
    void theCallCarriesTheServiceKeyOrganisationIdempotencyKeyAndARequestId() {
        answer(aResponse().withStatus(200).withBody("{}"));

        client.call(new SubStepCall(jobId, organisationId, KEY, 3, PATH, Map.of("restaurantId", "r-1"), TIMEOUT),
                new CallAborts());

        List<LoggedRequest> requests = server.findAll(anyRequestedFor(anyUrl()));
        assertThat(requests).hasSize(1);
        LoggedRequest request = requests.get(0);
        assertThat(request.getMethod().value()).isEqualTo("POST");
        assertThat(request.getUrl()).isEqualTo(PATH);
        assertThat(request.getHeader("X-Service-Key")).isEqualTo("the-service-key");
        assertThat(request.getHeader("X-Organisation-ID")).isEqualTo(organisationId.toString());
        assertThat(request.getHeader("Idempotency-Key")).isEqualTo(jobId + ":" + KEY + ":3");
        UUID requestId = UUID.fromString(request.getHeader("X-Request-ID"));
        assertThat(requestId.version()).as("a random UUID").isEqualTo(4);
        assertThat(requestId.variant()).isEqualTo(2);
        assertThat(request.getHeader("Accept")).isEqualTo("application/json");
        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        assertThat(request.getBodyAsString()).isEqualTo("{\"restaurantId\":\"r-1\"}");
    }

    @Test
    void theIdempotencyKeyOfTheFirstGenerationHasNoNumber() {
        assertThat(SubStepCall.idempotencyKey(jobId, KEY, 1)).isEqualTo(jobId + ":" + KEY);
        assertThat(SubStepCall.idempotencyKey(jobId, KEY, 0)).isEqualTo(jobId + ":" + KEY);
        assertThat(SubStepCall.idempotencyKey(jobId, KEY, 2)).isEqualTo(jobId + ":" + KEY + ":2");
        assertThat(new SubStepCall(jobId, organisationId, KEY, 1, PATH, Map.of("password", "pw"), TIMEOUT).toString())
            .isEqualTo("SubStepCall[" + jobId + ":" + KEY + " " + PATH + "]");
    }

    @Test
    void passwordsTheCallSentAreMaskedInWhatTheAnswerGivesBack() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("email", "owner@example.test");
        payload.put("password", "hunter2-secret");
        payload.put("userPassword", "");
        answer(aResponse().withStatus(200).withBody("""
                {"echo": "you sent hunter2-secret", "userPassword": "anything", "secret": 7, "pwd": null,
                 "nested": {"list": ["hunter2-secret", 1, {"Password": "x"}]}, "count": 3}"""));

        CallOutcome.Succeeded outcome = (CallOutcome.Succeeded) client.call(call(payload), new CallAborts());

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("echo", "you sent ***");
        expected.put("userPassword", "***");
        expected.put("secret", "***");
        expected.put("pwd", null);
        expected.put("nested", Map.of("list", List.of("***", 1, Map.of("Password", "***"))));
        expected.put("count", 3);
        assertThat(outcome.body()).isEqualTo(expected);

        answer(aResponse().withStatus(422).withBody("{\"message\": \"hunter2-secret is too weak\"}"));
        assertThat(client.call(call(payload), new CallAborts()))
            .isEqualTo(new CallOutcome.Failed("HTTP 422: *** is too weak"));

        answer(aResponse().withStatus(503)
            .withHeader("Retry-After", "2")
            .withBody("{\"message\": \"hunter2-secret later\"}"));
        assertThat(client.call(call(payload), new CallAborts()))
            .isEqualTo(new CallOutcome.Retryable("HTTP 503: *** later", Duration.ofSeconds(2)));
    }

    // ---- aborts
    // -------------------------------------------------------------------------------------------------

    @Test
    void aCallOfARunThatWasAbortedIsNotSent() {
        answer(aResponse().withStatus(200).withBody("{}"));
        CallAborts aborts = new CallAborts();
        aborts.abortAll();

        assertThat(client.call(call(Map.of()), aborts)).isEqualTo(new CallOutcome.Retryable("call aborted", null));
        assertThat(server.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void abortingARunEndsItsCallUnderWayAtOnce() throws Exception {
        answer(aResponse().withStatus(200).withBody("{}").withFixedDelay(60_000));
        CallAborts aborts = new CallAborts();
        CompletableFuture<CallOutcome> outcome = CompletableFuture
            .supplyAsync(() -> client.call(call(Map.of()), aborts));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.findAll(anyRequestedFor(anyUrl())).size() == 1);

        aborts.abortAll();

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(new CallOutcome.Retryable("call aborted", null));
    }

    @Test
    void aCallRegisteredAfterTheRunWasAbortedIsAbortedAtOnceAndMayNotGoOn() {
        CallAborts aborts = new CallAborts();
        aborts.abortAll();
        int[] aborted = { 0 };

        assertThat(aborts.register(() -> aborted[0]++)).isFalse();
        assertThat(aborted[0]).isEqualTo(1);
    }

    @Test
    void abortingARunAbortsEachCallUnderWayOnceAndNoCallThatHasEnded() {
        CallAborts aborts = new CallAborts();
        int[] underWay = { 0 };
        int[] ended = { 0 };
        Runnable endedCall = () -> ended[0]++;
        assertThat(aborts.register(() -> underWay[0]++)).isTrue();
        assertThat(aborts.register(endedCall)).isTrue();
        aborts.deregister(endedCall);

        aborts.abortAll();
        aborts.abortAll();

        assertThat(underWay[0]).isEqualTo(1);
        assertThat(ended[0]).isZero();
    }

    // ---- settings
    // ---------------------------------------------------------------------------------

    @Test
    void theServiceKeyNeverAppearsInTheSettingsText() {
        DownstreamProperties configured = properties(server.baseUrl(), DataSize.ofKilobytes(16));
        DownstreamProperties unset = new DownstreamProperties("http://localhost:1", "", Duration.ofSeconds(5), 10,
                Duration.ofMinutes(10), null, 3, Duration.ofSeconds(2), 2, Duration.ofSeconds(60),
                Duration.ofMinutes(10), DataSize.ofKilobytes(16), Duration.ofSeconds(60), null);

        assertThat(configured.toString()).doesNotContain("the-service-key")
            .contains("serviceKey=***")
            .contains("baseUrl=" + server.baseUrl());
        assertThat(unset.toString()).contains("serviceKey=unset");
    }

    // ---- with the retry policy
    // ----------------------------------------------------------------------------------

    @Test
    void aRetryAfterLongerThanRetryAfterMaxIsCutToIt() {
        answer(aResponse().withStatus(429).withHeader("Retry-After", "3600"));
        CallOutcome.Retryable outcome = (CallOutcome.Retryable) call();

        RetryRule policy = RetryRule.of(properties(server.baseUrl(), DataSize.ofKilobytes(16)));

        assertThat(outcome.retryAfter()).isEqualTo(Duration.ofHours(1));
        assertThat(policy.delayAfter(1, outcome.retryAfter())).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aRetryAfterWithinRetryAfterMaxIsWaitedAsAsked() {
        answer(aResponse().withStatus(503).withHeader("Retry-After", "45"));
        CallOutcome.Retryable outcome = (CallOutcome.Retryable) call();

        RetryRule policy = RetryRule.of(properties(server.baseUrl(), DataSize.ofKilobytes(16)));

        assertThat(policy.delayAfter(2, outcome.retryAfter())).isEqualTo(Duration.ofSeconds(45));
    }

    // ---- helpers
    // ------------------------------------------------------------------------------------------------

    private static void answer(ResponseDefinitionBuilder response) {
        server.resetAll();
        server.stubFor(post(anyUrl()).willReturn(response));
    }

    private CallOutcome call() {
        return client.call(call(Map.of("restaurantId", "r-1")), new CallAborts());
    }

    private CallOutcome hurriedCall() {
        return client.call(new SubStepCall(jobId, organisationId, HURRIED_KEY, 1, PATH, Map.of(), SHORT_TIMEOUT),
                new CallAborts());
    }

    private SubStepCall call(Map<String, Object> payload) {
        return new SubStepCall(jobId, organisationId, KEY, 1, PATH, payload, TIMEOUT);
    }

    private static void assertConnectionError(CallOutcome outcome) {
        assertThat(outcome).isInstanceOf(CallOutcome.Retryable.class);
        CallOutcome.Retryable retryable = (CallOutcome.Retryable) outcome;
        assertThat(retryable.error()).startsWith("connection error: ");
        assertThat(retryable.retryAfter()).isNull();
    }

    private static Map<String, Object> truncated(int size, String preview) {
        Map<String, Object> truncated = new LinkedHashMap<>();
        truncated.put("truncated", true);
        truncated.put("size", size);
        truncated.put("preview", preview);
        return truncated;
    }

    private static DownstreamProperties properties(String baseUrl, DataSize resultMaxSize) {
        return new DownstreamProperties(baseUrl, "the-service-key", Duration.ofSeconds(2), 10, Duration.ofSeconds(20),
                Map.of(HURRIED_KEY, SHORT_TIMEOUT), 3, Duration.ofSeconds(2), 2, Duration.ofSeconds(60),
                Duration.ofMinutes(10), resultMaxSize, Duration.ZERO, null);
    }

    private static RegistrationApiClient client(DownstreamProperties properties) {
        return new RegistrationApiClient(properties, JsonMapper.builder().build());
    }

}
