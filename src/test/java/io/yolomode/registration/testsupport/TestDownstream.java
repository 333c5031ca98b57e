package io.yolomode.registration.testsupport;

import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * The registration API as WireMock, one per test JVM. By default every endpoint answers
 * 200 at once and code generation hands out an injection id; tests add stubs for their
 * own restaurant, which win over the defaults.
 */
public final class TestDownstream {

    public static final String SERVICE_KEY = "test-service-key";

    private static WireMockServer server;

    private TestDownstream() {
    }

    public static synchronized WireMockServer server() {
        if (server == null) {
            server = new WireMockServer(wireMockConfig().dynamicPort()
                .containerThreads(64)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(32));
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return server;
    }

    public static String baseUrl() {
        return server().baseUrl();
    }

    /** Forgets earlier stubs and calls, and answers every endpoint with success. */
    public static void reset() {
        WireMockServer wireMock = server();
        wireMock.resetAll();
        wireMock.stubFor(post(urlPathMatching("/api/.*")).atPriority(10).willReturn(okJson("{\"success\": true}")));
        wireMock.stubFor(
                post(urlPathEqualTo("/api/registration/generate-code-injections")).atPriority(9).willReturn(okJson("""
                        {"success": true, "codeInjectionId": "ci-42", "generatedAt": 1732800002000,
                         "filePaths": ["head.html", "body.html"]}""")));
    }

    /** A stub for one restaurant's call to the given path; it wins over the defaults. */
    public static MappingBuilder callOf(UUID restaurantId, String path) {
        return post(urlPathEqualTo(path)).atPriority(1)
            .withRequestBody(matchingJsonPath("$.restaurantId", equalTo(restaurantId.toString())));
    }

    /**
     * One restaurant's call to the given path succeeds, after the given delay: keeps its
     * job busy meanwhile.
     */
    public static void succeedAfter(UUID restaurantId, String path, int delayMillis) {
        stub(callOf(restaurantId, path).willReturn(okJson("{\"success\": true}").withFixedDelay(delayMillis)));
    }

    /**
     * One restaurant's calls to the given path get the given answers in turn, the last
     * one for every call after it (a WireMock scenario of its own).
     */
    public static void answersInTurn(UUID restaurantId, String path, ResponseDefinitionBuilder... answers) {
        String scenario = restaurantId + " " + path;
        for (int turn = 0; turn < answers.length; turn++) {
            ScenarioMappingBuilder call = callOf(restaurantId, path).inScenario(scenario)
                .whenScenarioStateIs(turn == 0 ? Scenario.STARTED : "turn " + turn);
            if (turn < answers.length - 1) {
                call = call.willSetStateTo("turn " + (turn + 1));
            }
            stub(call.willReturn(answers[turn]));
        }
    }

    public static void stub(MappingBuilder mapping) {
        server().stubFor(mapping);
    }

    public static ResponseDefinitionBuilder okJson(String json) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(json);
    }

    public static ResponseDefinitionBuilder status(int status, String json) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(json);
    }

    /** Every call made for the job, oldest first. */
    public static List<LoggedRequest> callsOf(UUID jobId) {
        return server()
            .findAll(anyRequestedFor(urlPathMatching("/api/.*")).withHeader("Idempotency-Key", matching(jobId + ":.*")))
            .stream()
            .sorted(java.util.Comparator.comparing(LoggedRequest::getLoggedDate))
            .toList();
    }

    /**
     * The calls of one sub-step of the job, oldest first, in every generation
     * ({@code jobId:key[:n]}).
     */
    public static List<LoggedRequest> callsOf(UUID jobId, String subStepKey) {
        String key = jobId + ":" + subStepKey;
        return callsOf(jobId).stream()
            .filter(request -> request.getHeader("Idempotency-Key").equals(key)
                    || request.getHeader("Idempotency-Key").startsWith(key + ":"))
            .toList();
    }

}
