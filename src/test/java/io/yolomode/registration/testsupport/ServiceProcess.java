package io.yolomode.registration.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The packaged service started as a separate Java process, as production runs it: it can
 * be killed with SIGKILL, which no in-JVM instance can imitate.
 */
public final class ServiceProcess implements AutoCloseable {

    private static Path extracted;

    private final Process process;

    private final int port;

    private ServiceProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The {@code prod} profile on the given database, as a production instance runs. */
    public static ServiceProcess start(TestDatabase.Coordinates database, Map<String, String> settings, Path log)
            throws IOException {
        List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=prod",
                "--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--registration.security.jwt.secret=" + TestTokens.SECRET,
                "--registration.security.data-key=" + TestSecrets.DATA_KEY,
                "--registration.downstream.service-key=" + TestDownstream.SERVICE_KEY));
        return launch(arguments, settings, log);
    }

    /**
     * The {@code local} profile on its own embedded PostgreSQL in the given data folder,
     * as spring-boot:run runs.
     */
    public static ServiceProcess startLocal(Path dataDirectory, Map<String, String> settings, Path log)
            throws IOException {
        List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=local",
                "--registration.embedded-database.data-directory=" + dataDirectory,
                "--registration.security.jwt.secret=" + TestTokens.SECRET));
        return launch(arguments, settings, log);
    }

    private static ServiceProcess launch(List<String> arguments, Map<String, String> settings, Path log)
            throws IOException {
        Path jar = extractedJar();
        int port = freePort();
        // C1 only: a test's service lives a minute or two, and on two cores the full JIT
        // doubles its start-up.
        List<String> command = new ArrayList<>(
                List.of(javaCommand(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                        "--server.port=" + port, "--registration.downstream.base-url=" + TestDownstream.baseUrl()));
        command.addAll(arguments);
        settings.forEach((key, value) -> command.add("--" + key + "=" + value));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
        return new ServiceProcess(process, port);
    }

    /**
     * Waits until readiness answers UP; a process that does not get there is killed, so
     * that a failed test leaves nothing running. The bound is wide because a loaded
     * two-core machine takes a minute to start one.
     */
    public ServiceProcess awaitReady() {
        ApiClient api = api();
        try {
            await().atMost(Duration.ofSeconds(300))
                .pollInterval(Duration.ofMillis(100))
                .failFast("the service process exited", () -> !process.isAlive())
                .ignoreExceptions()
                .until(() -> api.get("/actuator/health/readiness", null).status() == 200);
        }
        catch (RuntimeException ex) {
            process.destroyForcibly();
            throw ex;
        }
        return this;
    }

    /** The operating system's process, for its pid and exit. */
    public Process process() {
        return process;
    }

    public ApiClient api() {
        return new ApiClient(port);
    }

    /** SIGKILL: no shutdown hook, no hand-back, leases left as they were. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * The packaged jar unpacked once per test run with Spring Boot's own {@code extract}
     * tool, the layout Spring Boot recommends for production: loading classes from plain
     * jars instead of jars nested in the uber jar takes about a third less CPU at every
     * start, and the tests start nine processes.
     */
    private static synchronized Path extractedJar() throws IOException {
        if (extracted != null) {
            return extracted;
        }
        String jar = System.getProperty("service.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("the packaged service jar is missing (system property service.jar: " + jar
                    + "); run through 'mvnw verify'");
        }
        Path destination = Path.of(jar).resolveSibling("service-extracted");
        Process extract = new ProcessBuilder(javaCommand(), "-Djarmode=tools", "-jar", jar, "extract", "--force",
                "--destination", destination.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        try {
            if (!extract.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || extract.exitValue() != 0) {
                extract.destroyForcibly();
                throw new IllegalStateException("could not extract " + jar + " into " + destination);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while extracting " + jar, ex);
        }
        extracted = destination.resolve(Path.of(jar).getFileName());
        return extracted;
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
