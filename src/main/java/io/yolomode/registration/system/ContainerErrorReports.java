package io.yolomode.registration.system;

import java.io.PrintWriter;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Makes Tomcat's own error reports problem documents. Tomcat answers some requests
 * without ever handing them to the application (a malformed percent-encoding in the path,
 * for one); its report is an HTML page by default.
 */
@Component
class ContainerErrorReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
        });
    }

    /**
     * Writes the problem document for an error nothing else has answered. Tomcat creates
     * it by its class name.
     */
    public static class ProblemReportValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int code = response.getStatus();
            if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            HttpStatus status = HttpStatus.resolve(code);
            String message = status == null || status.is5xxServerError() ? "Internal error"
                    : "The request was refused: " + status.getReasonPhrase();
            String title = status == null ? "Error" : status.getReasonPhrase();
            try {
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.setCharacterEncoding("UTF-8");
                PrintWriter writer = response.getReporter();
                if (writer != null) {
                    writer.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + code
                            + ",\"detail\":\"" + message + "\",\"success\":false,\"error\":\"" + message + "\"}");
                    response.finishResponse();
                }
            }
            catch (java.io.IOException | IllegalStateException ex) {
                // The connection is gone or the response was committed meanwhile: nothing
                // more to tell.
            }
        }

    }

}
