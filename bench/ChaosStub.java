import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The registration API as the chaos run needs it: every POST waits 50-500 ms, 5% of them answer 503 (retryable),
 * the rest 200 with a success body; every call is recorded as one line
 * {@code <received ms> <answered ms> <path> <Idempotency-Key> <status>} in the log file, written when the answer
 * has been sent (a call whose caller was killed meanwhile is recorded all the same).
 * Run with {@code java bench/ChaosStub.java PORT LOGFILE [FAILURE_RATE] [MIN_MS] [MAX_MS]}.
 */
public class ChaosStub {

    private static final byte[] OK = ("{\"success\": true, \"codeInjectionId\": \"ci-chaos\", "
            + "\"generatedAt\": 1732800002000, \"filePaths\": [\"head.html\"]}").getBytes(StandardCharsets.UTF_8);

    private static final byte[] UNAVAILABLE = "{\"success\": false, \"message\": \"chaos: try again\", \"retryable\": true}"
            .getBytes(StandardCharsets.UTF_8);

    private static BufferedWriter calls;

    private static double failureRate;

    private static long minMillis;

    private static long maxMillis;

    public static void main(String[] args) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        calls = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8);
        failureRate = args.length > 2 ? Double.parseDouble(args[2]) : 0.05;
        minMillis = args.length > 3 ? Long.parseLong(args[3]) : 50;
        maxMillis = args.length > 4 ? Long.parseLong(args[4]) : 500;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 512);
        server.setExecutor(Executors.newFixedThreadPool(256));
        server.createContext("/", ChaosStub::answer);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(ChaosStub::flush));
        System.out.println("chaos stub listening on " + args[0]);
    }

    private static void answer(HttpExchange exchange) throws IOException {
        long received = System.currentTimeMillis();
        try (InputStream request = exchange.getRequestBody()) {
            request.transferTo(OutputStream.nullOutputStream());
        }
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(minMillis, maxMillis + 1));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        boolean fail = ThreadLocalRandom.current().nextDouble() < failureRate;
        int status = fail ? 503 : 200;
        byte[] body = fail ? UNAVAILABLE : OK;
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        catch (IOException ex) {
            // The caller is gone (killed): the call was made all the same.
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        record(received + " " + System.currentTimeMillis() + " " + exchange.getRequestURI().getPath() + " "
                + (key == null ? "-" : key) + " " + status);
    }

    private static synchronized void record(String line) {
        try {
            calls.write(line);
            calls.newLine();
            calls.flush();
        }
        catch (IOException ex) {
            System.err.println("could not record a call: " + ex.getMessage());
        }
    }

    private static synchronized void flush() {
        try {
            calls.flush();
        }
        catch (IOException ignored) {
            // exiting
        }
    }
}
