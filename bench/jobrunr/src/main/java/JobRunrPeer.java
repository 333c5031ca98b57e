import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.BackgroundJob;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * The job engine people would otherwise pick, running the same pipeline shape as the service: one JobRunr job per
 * pipeline that makes the twelve registration calls in phase order with the JDK HTTP client, on the same
 * PostgreSQL and against the same stub. JobRunr persists a job's state changes (enqueued, processing, succeeded);
 * it keeps no progress per call. Prints one {@code RESULT} line for bench/run.sh.
 * Usage: {@code JobRunrPeer JDBC_URL USER STUB_URL WORKERS WARMUP PIPELINES}
 */
public final class JobRunrPeer {

    private static final List<String> CALLS = List.of(
            "/api/registration/register-account", "/api/registration/generate-code-injections",
            "/api/registration/create-onboarding-user", "/api/menus/bench-menu/upload-images",
            "/api/registration/register-restaurant", "/api/registration/configure-website",
            "/api/registration/configure-services", "/api/registration/configure-payment",
            "/api/registration/import-menu-direct", "/api/registration/update-onboarding-record",
            "/api/registration/add-option-sets", "/api/registration/add-item-tags");

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static String stub;

    public static void main(String[] args) throws Exception {
        String jdbcUrl = args[0];
        stub = args[2];
        int workers = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int pipelines = Integer.parseInt(args[5]);
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setUsername(args[1]);
        pool.setMaximumPoolSize(Math.min(workers + 4, 40));
        try (HikariDataSource dataSource = new HikariDataSource(pool)) {
            StorageProvider storage = SqlStorageProviderFactory.using(dataSource);
            JobRunr.configure()
                    .useJsonMapper(new JacksonJsonMapper())
                    .useStorageProvider(storage)
                    .useBackgroundJobServer(BackgroundJobServerConfiguration
                            .usingStandardBackgroundJobServerConfiguration().andWorkerCount(workers))
                    .initialize();
            if (warmup > 0) {
                drain(storage, warmup, 0);
            }
            long startedAt = System.currentTimeMillis();
            long started = System.nanoTime();
            drain(storage, pipelines, warmup);
            double seconds = (System.nanoTime() - started) / 1e9;
            // The window's wall-clock ends let bench/cpu.py tell the CPU each process used for the measured pipelines.
            System.out.printf(java.util.Locale.ROOT, "RESULT workers=%d pipelines=%d seconds=%.2f pipelines_per_s=%.1f"
                    + " t0=%.3f t1=%.3f%n", workers, pipelines, seconds, pipelines / seconds, startedAt / 1000.0,
                    startedAt / 1000.0 + seconds);
            JobRunr.destroy();
        }
        System.exit(0);
    }

    /** Enqueues the pipelines and waits until JobRunr has stored all of them as succeeded. */
    private static void drain(StorageProvider storage, int count, long alreadySucceeded) throws InterruptedException {
        Stream<UUID> ids = IntStream.range(0, count).mapToObj(i -> UUID.randomUUID());
        BackgroundJob.<UUID>enqueue(ids, id -> JobRunrPeer.pipeline(id.toString()));
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (storage.getJobStats().getSucceeded() < alreadySucceeded + count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("JobRunr did not finish " + count + " pipelines in 10 minutes");
            }
            Thread.sleep(20);
        }
    }

    /** One pipeline: the twelve calls in phase order, each with the service's kind of idempotency key. */
    public static void pipeline(String jobId) throws Exception {
        for (String path : CALLS) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(stub + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", jobId + ":" + path)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"restaurantId\": \"" + jobId + "\"}"))
                    .build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode());
            }
        }
    }
}
