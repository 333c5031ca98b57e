import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The registration API as the benchmarks need it: every POST is answered 200 with a small success body at once,
 * with TCP_NODELAY, using as little CPU as a JDK server can, so that the machine's cores go to the service and PostgreSQL.
 * {@code POST /__bench/slow?pattern=REGEX&ms=N} makes calls whose path matches REGEX wait N ms first.
 * Run with {@code java bench/Stub.java PORT}.
 */
public class Stub {

    private static final byte[] BODY = ("{\"success\": true, \"codeInjectionId\": \"ci-bench\", "
            + "\"generatedAt\": 1732800002000, \"filePaths\": [\"head.html\"]}").getBytes(StandardCharsets.UTF_8);

    private static final Map<Pattern, Long> SLOW = new ConcurrentHashMap<>();

    public static void main(String[] args) throws IOException {
        // The JDK server writes headers and body apart; without TCP_NODELAY every answer waits for a delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 512);
        server.setExecutor(Executors.newFixedThreadPool(64));
        server.createContext("/__bench/slow", Stub::slow);
        server.createContext("/", Stub::answer);
        server.start();
        System.out.println("stub listening on " + args[0]);
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (InputStream request = exchange.getRequestBody()) {
            request.transferTo(OutputStream.nullOutputStream());
        }
        String path = exchange.getRequestURI().getPath();
        for (Map.Entry<Pattern, Long> slow : SLOW.entrySet()) {
            if (slow.getKey().matcher(path).matches()) {
                try {
                    Thread.sleep(slow.getValue());
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, BODY.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(BODY);
        }
    }

    private static void slow(HttpExchange exchange) throws IOException {
        Map<String, String> query = new HashMap<>();
        for (String pair : exchange.getRequestURI().getQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            query.put(parts[0], parts[1]);
        }
        SLOW.put(Pattern.compile(query.get("pattern")), Long.parseLong(query.get("ms")));
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }
}
