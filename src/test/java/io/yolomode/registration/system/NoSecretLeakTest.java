package io.yolomode.registration.system;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.TestDownstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.method.annotation.ExceptionHandlerMethodResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * No bad input of issue 12 puts a password into a log line or an answer: each is sent
 * with known passwords in the form while the real log output is captured. PostgreSQL's
 * error text, which quotes a statement's values, stays out of exception messages, and a
 * database error reaching the API answers a bare 500.
 */
@ExtendWith(OutputCaptureExtension.class)
class NoSecretLeakTest extends CallerTestSupport {

    private static final String PASSWORD = "Canary-Pass-7d1e";

    private static final String USER_PASSWORD = "Canary-User-Pass-93ab";

    private static final String EXECUTE = "/api/registration/execute-single-restaurant";

    private static final String BATCHES = "/api/registration-batches";

    @Test
    void noBadInputPutsAPasswordIntoALogLineOrAnAnswer(CapturedOutput output) {
        UUID restaurant = data.restaurant(organisation, "Leak Test Grill");
        String secrets = "\"account\": {\"email\": \"o@leak.test\", \"password\": \"" + PASSWORD + "\"},"
                + " \"onboarding\": {\"userPassword\": \"" + USER_PASSWORD + "\"}";
        List<ApiClient.Response> answers = new ArrayList<>();
        answers.add(execute(restaurant, "{" + secrets + ", \"restaurant\": {\"phone\": \"\\u0000\"}}", null));
        answers.add(execute(restaurant, "{" + secrets + ", \"x\\u0000\": \"\\ud800\"}", null));
        answers.add(execute(restaurant, "{" + secrets + "}", "\"+999999-01-01T00:00:00Z\""));
        answers.add(execute(restaurant, "{" + secrets + ", \"deep\": " + "[".repeat(40) + "]".repeat(40) + "}", null));
        answers.add(execute(restaurant, "{" + secrets + ", \"notes\": \"" + "n".repeat(20_000) + "\"}", null));
        answers.add(execute(restaurant, "{" + secrets + ", \"big\": 1e999}", null));
        answers
            .add(api.postJson(EXECUTE, token, "{\"restaurantId\": \"" + restaurant + "\", \"formData\": {" + secrets));
        answers.add(api.postJson(BATCHES, token, "{\"name\": \"b\\u0000\", \"restaurantIds\": [\"" + restaurant
                + "\"], \"executionConfig\": {" + secrets + "}}"));
        answers.add(api.postJson(BATCHES, token, "{\"name\": \"twice\", \"restaurantIds\": [\"" + restaurant + "\", \""
                + restaurant + "\"], \"executionConfig\": {" + secrets + "}}"));
        int refused = answers.size();

        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/register-account")
            .willReturn(TestDownstream.okJson("{\"success\": true, \"note\": \"\\u0000\\ud800\"}")));
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/configure-services")
            .willReturn(TestDownstream.status(400, "{\"message\": \"bad \\u0000 request\"}")));
        ApiClient.Response accepted = execute(restaurant, "{" + secrets + "}", null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        UUID jobId = UUID.fromString(accepted.json().get("jobId").asString());
        answers.add(accepted);
        assertThat(jobs.awaitEnd(jobId).get("status").asString()).isEqualTo("failed");
        answers.add(api.get("/api/registration/jobs/" + jobId, token));
        answers.add(api.get("/api/registration/jobs/" + jobId + "/history", token));

        for (ApiClient.Response answer : answers) {
            assertThat(answer.body()).doesNotContain(PASSWORD, USER_PASSWORD);
        }
        assertThat(output.getAll()).doesNotContain(PASSWORD, USER_PASSWORD);
        for (ApiClient.Response answer : answers.subList(0, refused)) {
            assertThat(answer.status()).as(answer.toString()).isBetween(400, 499);
        }
    }

    @Test
    void postgresqlErrorsDoNotQuoteTheValuesOfTheStatement() {
        String document = "{\"password\": \"" + PASSWORD + "\", \"phone\": \"\\u0000\"}";

        assertThatThrownBy(() -> jdbc.sql("select cast(? as jsonb)").param(document).query(String.class).single())
            .isInstanceOf(DataAccessException.class)
            .satisfies(ex -> assertThat(stackTraceOf(ex)).contains("unsupported Unicode escape sequence")
                .doesNotContain(PASSWORD));
    }

    @Test
    void aDatabaseErrorReachingTheApiIsABare500AndIsLoggedWithoutItsMessage(CapturedOutput output) {
        PSQLException cause = new PSQLException("ERROR: bad value " + PASSWORD, PSQLState.DATA_ERROR);
        DataIntegrityViolationException ex = new DataIntegrityViolationException(
                "could not execute statement [" + PASSWORD + "]", cause);

        assertThat(new ExceptionHandlerMethodResolver(ApiExceptionHandler.class).resolveMethod(ex).getName())
            .as("Spring MVC hands such an error to this handler, not to the one that logs messages")
            .isEqualTo("handleDatabaseError");
        ResponseEntity<ProblemDetail> answer = new ApiExceptionHandler().handleDatabaseError(ex);

        assertThat(answer.getStatusCode().value()).isEqualTo(500);
        assertThat(answer.getBody().getDetail()).isEqualTo("Internal error");
        assertThat(String.valueOf(answer.getBody().getProperties())).doesNotContain(PASSWORD);
        assertThat(output.getAll()).contains("DataIntegrityViolationException <- PSQLException (SQLState 22000)")
            .doesNotContain(PASSWORD);
    }

    private ApiClient.Response execute(UUID restaurant, String formData, String scheduledAt) {
        return api.postJson(EXECUTE, token, "{\"restaurantId\": \"" + restaurant + "\", \"formData\": " + formData
                + (scheduledAt == null ? "" : ", \"scheduledAt\": " + scheduledAt) + "}");
    }

    private static String stackTraceOf(Throwable ex) {
        StringWriter trace = new StringWriter();
        ex.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

}
