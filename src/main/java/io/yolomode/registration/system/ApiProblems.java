package io.yolomode.registration.system;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Owns the shape of every error the service answers: RFC 9457 problem details that also carry
 * {@code "success": false} and {@code "error": "<message>"}, which the existing frontend hook reads.
 */
@Component
public class ApiProblems {

    private final JsonMapper jsonMapper;

    ApiProblems(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    public static ProblemDetail problem(HttpStatusCode status, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
        problem.setProperty("success", false);
        problem.setProperty("error", message);
        return problem;
    }

    /**
     * Writes a problem from outside Spring MVC (security filters, the request size filter).
     */
    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatusCode status,
            String message) throws IOException {
        ProblemDetail problem = problem(status, message);
        problem.setInstance(URI.create(request.getRequestURI()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType() == null ? "about:blank" : problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", problem.getInstance().toString());
        body.putAll(problem.getProperties());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        jsonMapper.writeValue(response.getOutputStream(), body);
    }
}
