package io.yolomode.registration.system;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Owns the shape of every error the service answers: RFC 9457 problem details that also
 * carry {@code "success": false} and {@code "error": "<message>"}, which the existing
 * frontend hook reads.
 */
@Component
public class ApiProblems {

    private final JsonMapper jsonMapper;

    ApiProblems(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    private static Optional<String> instance(@Nullable String path) {
        if (path == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(URI.create(path).toString());
        }
        catch (IllegalArgumentException notAUri) {
            return Optional.empty();
        }
    }

    /**
     * The answer to a request the firewall refused. The firewall's own message is not
     * repeated: it quotes the refused header value, which can be a token.
     */
    public static String refusedRequestMessage(Throwable rejection) {
        String reason = String.valueOf(rejection.getMessage());
        String part;
        if (reason.contains("header")) {
            part = "a header name or value has characters that are not allowed";
        }
        else if (reason.contains("parameter")) {
            part = "a parameter name or value has characters that are not allowed";
        }
        else if (reason.contains("HTTP method")) {
            part = "the HTTP method is not allowed";
        }
        else if (reason.contains("host")) {
            part = "the host name is not allowed";
        }
        else {
            part = "the URL has characters or sequences that are not allowed";
        }
        return "The request was refused: " + part;
    }

    public static ProblemDetail problem(HttpStatusCode status, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
        problem.setProperty("success", false);
        problem.setProperty("error", message);
        return problem;
    }

    /**
     * Writes a problem from outside Spring MVC (security filters, the request size
     * filter).
     */
    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatusCode status, String message)
            throws IOException {
        write(request.getRequestURI(), response, status, message);
    }

    /**
     * Writes a problem about the request at {@code path}, which is left out when it is
     * not a valid URI reference (a request the firewall or the server refused can have
     * any bytes in its path).
     */
    public void write(String path, HttpServletResponse response, HttpStatusCode status, String message)
            throws IOException {
        ProblemDetail problem = problem(status, message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType() == null ? "about:blank" : problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        instance(path).ifPresent(instance -> body.put("instance", instance));
        body.putAll(problem.getProperties());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        jsonMapper.writeValue(response.getOutputStream(), body);
    }

}
