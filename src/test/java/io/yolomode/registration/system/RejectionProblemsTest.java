package io.yolomode.registration.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.yolomode.registration.testsupport.CallerTestSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every refusal, also those made outside Spring MVC (the firewall, the container, the
 * security filters, the body limit), is an {@code application/problem+json} document with
 * {@code success: false} and {@code error}. Requests go over a raw socket, since a
 * well-behaved HTTP client will not send what the firewall and Tomcat refuse.
 */
class RejectionProblemsTest extends CallerTestSupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String EXECUTE = "/api/registration/execute-single-restaurant";

    @Test
    void theFirewallsRefusalsAreProblems() {
        assertProblem(raw("GET /api/restaurants;x=1 HTTP/1.1", token, Map.of()), 400, "URL");
        assertProblem(raw("GET /api/restaurants/%2e%2e/x HTTP/1.1", token, Map.of()), 400, null);
        RawResponse refusedToken = raw("GET /api/restaurants HTTP/1.1", null,
                Map.of("Authorization", "Bearer " + token + "\u0085"));
        assertProblem(refusedToken, 400, "header");
        assertThat(refusedToken.body()).as("the refused header is not quoted").doesNotContain(token);
        assertProblem(raw("GET /api/restaurants HTTP/1.1", token, Map.of("Accept", "application/json\u0085")), 400,
                "header");
        assertProblem(raw("GET /api/registration/jobs?status=%00 HTTP/1.1", token, Map.of()), 400, null);
    }

    @Test
    void theContainersRefusalsAreProblems() {
        assertProblem(raw("GET /api/restaurants/%zz HTTP/1.1", token, Map.of()), 400, null);
        assertProblem(raw("GET /api/restaurants HTTP/1.1", token, Map.of("X-Big", "b".repeat(20_000))), 400, null);
    }

    @Test
    void securityRefusalsAreProblems() {
        assertProblem(raw("GET /api/restaurants HTTP/1.1", null, Map.of()), 401, "bearer token");
        assertProblem(raw("GET /api/restaurants HTTP/1.1", "not.a.token", Map.of()), 401, "bearer token");
        assertProblem(raw("GET /actuator/metrics HTTP/1.1", token, Map.of()), 403, "does not allow");
    }

    @Test
    void mvcRefusalsAreProblems() {
        assertProblem(raw("DELETE " + EXECUTE + " HTTP/1.1", token, Map.of()), 405, null);
        assertProblem(raw("GET /api/no-such-thing HTTP/1.1", token, Map.of()), 404, null);
        assertProblem(raw("POST " + EXECUTE + " HTTP/1.1", token, Map.of("Content-Type", "text/plain")), 415, null);
        assertProblem(raw("POST " + EXECUTE + " HTTP/1.1", token,
                Map.of("Content-Type", "application/json", "Accept", "text/html")), 400, null);
    }

    @Test
    void anOversizedBodyIsAProblem() {
        String body = "{\"formData\": {\"notes\": \"" + "x".repeat(300 * 1024) + "\"}}";
        assertProblem(raw("POST " + EXECUTE + " HTTP/1.1", token, Map.of("Content-Type", "application/json"), body),
                413, "larger than");
    }

    private static void assertProblem(RawResponse response, int status, String errorContains) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.headers().get("content-type")).as(response.toString())
            .startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("success").asBoolean(true)).as(response.toString()).isFalse();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("error").asString()).as(response.toString()).isNotBlank();
        if (errorContains != null) {
            assertThat(problem.get("error").asString()).contains(errorContains);
        }
    }

    private RawResponse raw(String requestLine, String bearer, Map<String, String> headers) {
        return raw(requestLine, bearer, headers, null);
    }

    private RawResponse raw(String requestLine, String bearer, Map<String, String> headers, String body) {
        StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: localhost:")
            .append(port)
            .append("\r\nConnection: close\r\n");
        if (bearer != null) {
            request.append("Authorization: Bearer ").append(bearer).append("\r\n");
        }
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            request.append("Content-Length: ").append(content.length).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(content);
                out.flush();
            }
            catch (IOException closedEarly) {
                // The server may answer and close before it has read a body it refuses.
            }
            return RawResponse.parse(socket.getInputStream().readAllBytes());
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    record RawResponse(int status, Map<String, String> headers, String body) {

        static RawResponse parse(byte[] bytes) throws IOException {
            String all = new String(bytes, StandardCharsets.ISO_8859_1);
            int end = all.indexOf("\r\n\r\n");
            String[] lines = all.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            byte[] rest = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
            byte[] body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? dechunk(rest) : rest;
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers,
                    new String(body, StandardCharsets.UTF_8));
        }

        private static byte[] dechunk(byte[] chunked) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            InputStream in = new java.io.ByteArrayInputStream(chunked);
            while (true) {
                StringBuilder size = new StringBuilder();
                for (int c = in.read(); c != '\n' && c >= 0; c = in.read()) {
                    if (c != '\r') {
                        size.append((char) c);
                    }
                }
                int length = size.isEmpty() ? 0 : Integer.parseInt(size.toString().split(";")[0].trim(), 16);
                if (length == 0) {
                    return body.toByteArray();
                }
                body.write(in.readNBytes(length));
                in.readNBytes(2);
            }
        }
    }

}
