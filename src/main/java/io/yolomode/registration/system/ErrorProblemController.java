package io.yolomode.registration.system;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Answers what the servlet container sends to {@code /error} (a request Tomcat refused,
 * such as a malformed percent-encoding, or an error raised outside Spring MVC) with the
 * same problem document as every other error, instead of Spring Boot's default error
 * JSON. It never repeats the container's message, which can quote the request.
 */
@Controller
class ErrorProblemController implements ErrorController {

    private final ApiProblems problems;

    ErrorProblemController(ApiProblems problems) {
        this.problems = problems;
    }

    @RequestMapping("/error")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpStatus status = statusOf(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE));
        String message = status.is5xxServerError() ? "Internal error" : status == HttpStatus.NOT_FOUND
                ? "No such resource" : "The request was refused: " + status.getReasonPhrase();
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        problems.write(path instanceof String text ? text : null, response, status, message);
    }

    private static HttpStatus statusOf(Object code) {
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        return status == null || !status.isError() ? HttpStatus.INTERNAL_SERVER_ERROR : status;
    }

}
