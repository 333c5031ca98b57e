package io.yolomode.registration.system;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import lombok.extern.slf4j.Slf4j;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.DatabindException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where exceptions become HTTP answers. Every answer is a problem document
 * from {@link ApiProblems}; stack traces and internal messages never leave the service.
 */
@Slf4j
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final long DATABASE_RETRY_AFTER_SECONDS = 5;

    @ExceptionHandler(Refusal.class)
    ResponseEntity<ProblemDetail> handleRefusal(Refusal ex) {
        HttpStatus status = statusOf(ex.kind());
        ProblemDetail problem = ApiProblems.problem(status, ex.getMessage());
        ex.properties().forEach(problem::setProperty);
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(status);
        if (ex.retryAfter() != null) {
            // Whole seconds, rounded up, so a client never comes back before the limit
            // has room.
            long seconds = Math.max(1, (ex.retryAfter().toMillis() + 999) / 1000);
            answer.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        return answer.body(problem);
    }

    /** The one place where a refusal becomes an HTTP status. */
    static HttpStatus statusOf(Refusal.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_PERMITTED -> HttpStatus.FORBIDDEN;
            case CONFLICT -> HttpStatus.CONFLICT;
            case OVER_LIMIT -> HttpStatus.TOO_MANY_REQUESTS;
        };
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> handleTypeMismatch(MethodArgumentTypeMismatchException ex) {
        String expected = ex.getRequiredType() == null ? "another type" : ex.getRequiredType().getSimpleName();
        String message = "'" + ex.getName() + "' must be a " + ("UUID".equals(expected) ? "UUID" : expected) + ", got '"
                + ex.getValue() + "'";
        return ResponseEntity.badRequest().body(ApiProblems.problem(HttpStatus.BAD_REQUEST, message));
    }

    /**
     * The firewall refuses a header or parameter when it is first read, which can be
     * inside Spring MVC.
     */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> handleRejected(RequestRejectedException ex) {
        return ResponseEntity.badRequest()
            .body(ApiProblems.problem(HttpStatus.BAD_REQUEST, ApiProblems.refusedRequestMessage(ex)));
    }

    /**
     * The database cannot be reached (restarting, or no connection free within the pool's
     * wait): the same request a few seconds later will likely work, so 503 with
     * Retry-After rather than 500. Mostly nothing was done; a connection lost during a
     * commit cannot say, so the answer does not promise it.
     */
    @ExceptionHandler({ DataAccessResourceFailureException.class, CannotCreateTransactionException.class })
    ResponseEntity<ProblemDetail> handleDatabaseUnavailable(Exception ex) {
        log.warn("Database not reachable while handling a request: {}", kinds(ex));
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
            .header(HttpHeaders.RETRY_AFTER, Long.toString(DATABASE_RETRY_AFTER_SECONDS))
            .body(ApiProblems.problem(HttpStatus.SERVICE_UNAVAILABLE,
                    "The database is not reachable right now; try again shortly"));
    }

    /**
     * A database error is logged by its kind and SQLState only: the messages of the
     * driver and of the data access layer can quote the statement's values, which may be
     * a password.
     */
    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ProblemDetail> handleDatabaseError(DataAccessException ex) {
        log.error("Database error while handling a request: {}", kinds(ex));
        return ResponseEntity.internalServerError()
            .body(ApiProblems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error"));
    }

    /**
     * The exception's causal chain as class names, with the SQLState where there is one.
     */
    static String kinds(Throwable ex) {
        List<String> kinds = new ArrayList<>();
        for (Throwable at = ex; at != null && kinds.size() < 10; at = at.getCause()) {
            kinds.add(at instanceof SQLException sql && sql.getSQLState() != null
                    ? at.getClass().getSimpleName() + " (SQLState " + sql.getSQLState() + ")"
                    : at.getClass().getSimpleName());
        }
        return String.join(" <- ", kinds);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception ex) {
        log.error("Unexpected error while handling a request", ex);
        return ResponseEntity.internalServerError()
            .body(ApiProblems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error"));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (NestedExceptionUtils.getMostSpecificCause(ex) instanceof RequestBodyTooLargeException tooLarge) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage());
        }
        return problem(HttpStatus.BAD_REQUEST, unreadableMessage(ex));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<String> errors = ex.getBindingResult()
            .getFieldErrors()
            .stream()
            .map(ApiExceptionHandler::describe)
            .toList();
        List<String> globalErrors = ex.getBindingResult()
            .getGlobalErrors()
            .stream()
            .map(error -> error.getDefaultMessage())
            .toList();
        List<String> all = new java.util.ArrayList<>(errors);
        all.addAll(globalErrors);
        ProblemDetail problem = ApiProblems.problem(HttpStatus.BAD_REQUEST,
                "Invalid request: " + String.join("; ", all));
        problem.setProperty("errors", all);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String message = ex.getAllErrors()
            .stream()
            .map(error -> error.getDefaultMessage())
            .collect(Collectors.joining("; "));
        return problem(HttpStatus.BAD_REQUEST, "Invalid request: " + message);
    }

    /**
     * Standard Spring MVC failures (unknown path, wrong method, wrong content type ...)
     * come with a problem body already; it only gets the fields the frontend reads.
     */
    @Override
    protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getProperties() == null || !problem.getProperties().containsKey("success"))) {
            String message = problem.getDetail() != null ? problem.getDetail() : problem.getTitle();
            problem.setProperty("success", false);
            problem.setProperty("error", message);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(ApiProblems.problem(status, message));
    }

    private static String describe(FieldError error) {
        return error.getField() + ": " + error.getDefaultMessage();
    }

    private static String unreadableMessage(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath()
                .stream()
                .map(reference -> reference.getPropertyName() != null ? reference.getPropertyName()
                        : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
            String value = cause instanceof InvalidFormatException invalid ? " '" + invalid.getValue() + "'" : "";
            return "Field '" + field + "' has the wrong type or format" + value;
        }
        if (cause instanceof DatabindException) {
            return "The request body does not have the expected structure";
        }
        return "The request body is missing or is not valid JSON";
    }

}
