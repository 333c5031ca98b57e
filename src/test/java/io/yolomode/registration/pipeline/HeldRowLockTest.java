package io.yolomode.registration.pipeline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.yolomode.registration.progress.SubStepProgress;
import io.yolomode.registration.queue.HistoryEntry;
import io.yolomode.registration.queue.JobLease;
import io.yolomode.registration.queue.JobQueue;
import io.yolomode.registration.testsupport.CallerTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static io.yolomode.registration.testsupport.StandardPipeline.DOCUMENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A job's row locked elsewhere for long (an operator's open transaction, a stuck
 * connection) holds neither the progress writer nor lease renewals: their statements give
 * up on the lock after their lock timeouts with a transient failure, which the run and
 * the renewer try again, while the other jobs' writes go on; once the lock goes, the
 * write goes through.
 */
class HeldRowLockTest extends CallerTestSupport {

    private static final String OWNER = "held-lock-test";

    @Autowired
    DataSource dataSource;

    @Autowired
    JobQueue queue;

    @Autowired
    JsonMapper jsonMapper;

    ProgressWriter writer;

    Connection locker;

    @BeforeEach
    void setUp() throws Exception {
        writer = new ProgressWriter(queue, dataSource,
                new ProgressWriterProperties(Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofMillis(200)));
        locker = dataSource.getConnection();
        locker.setAutoCommit(false);
    }

    @AfterEach
    void tearDown() throws Exception {
        locker.rollback();
        locker.close();
        writer.destroy();
    }

    @Test
    void aLockedJobsWriteFailsAfterTheLockTimeoutWhileOtherJobsWritesGoOn() throws Exception {
        JobLease locked = held();
        JobLease free = held();
        lock(locked.jobId());

        CompletableFuture<Long> lockedWrite = CompletableFuture.supplyAsync(() -> write(locked));
        CompletableFuture<Long> freeWrite = CompletableFuture.supplyAsync(() -> write(free));

        assertThat(freeWrite.get(10, TimeUnit.SECONDS)).isPositive();
        assertThatThrownBy(() -> lockedWrite.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .cause()
            .satisfies(failure -> assertThat(DatabaseWrites.worthRetrying((RuntimeException) failure)).isTrue())
            .hasRootCauseMessage("ERROR: canceling statement due to lock timeout");
        assertThat(entries(locked.jobId())).isZero();

        locker.rollback();

        assertThat(write(locked)).isPositive();
        assertThat(entries(locked.jobId())).isOne();
        assertThat(entries(free.jobId())).isOne();
    }

    @Test
    void aJobRowLockedForLongHoldsBackNoOtherLeaseAndTheRenewalFailsAfterTheLockTimeout() throws Exception {
        JobLease locked = held();
        JobLease free = held();
        lock(locked.jobId());
        String lockedExpiry = leaseExpiry(locked.jobId());
        String freeExpiry = leaseExpiry(free.jobId());

        CompletableFuture<Map<UUID, Boolean>> renewal = CompletableFuture
            .supplyAsync(() -> queue.renew(OWNER, List.of(locked.jobId(), free.jobId()), Duration.ofMinutes(20)));

        assertThatThrownBy(() -> renewal.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .hasRootCauseMessage("ERROR: canceling statement due to lock timeout");
        assertThat(leaseExpiry(free.jobId())).as("renewed all the same").isNotEqualTo(freeExpiry);
        assertThat(leaseExpiry(locked.jobId())).isEqualTo(lockedExpiry);
        locker.rollback();
        assertThat(queue.renew(OWNER, List.of(locked.jobId(), free.jobId()), Duration.ofMinutes(20)))
            .containsOnlyKeys(locked.jobId(), free.jobId());
        assertThat(leaseExpiry(locked.jobId())).isNotEqualTo(lockedExpiry);
    }

    private String leaseExpiry(UUID jobId) {
        return jdbc.sql("select lease_expires_at::text from registration_jobs where id = ?")
            .param(jobId)
            .query(String.class)
            .single();
    }

    private long write(JobLease lease) {
        return writer.write(lease, DOCUMENTS.initial(),
                List.of(HistoryEntry.subStep("codeGeneration", SubStepProgress.pending())));
    }

    private void lock(UUID jobId) throws Exception {
        try (PreparedStatement statement = locker
            .prepareStatement("select id from registration_jobs where id = ? for update")) {
            statement.setObject(1, jobId);
            statement.executeQuery().close();
        }
    }

    private long entries(UUID jobId) {
        return jdbc.sql("select count(*) from registration_job_events where registration_job_id = ?")
            .param(jobId)
            .query(Long.class)
            .single();
    }

    private JobLease held() {
        UUID restaurant = data.restaurant(organisation, "Held Lock Diner");
        return new JobLease(data.heldJob(organisation, restaurant, OWNER, 1, "{}",
                jsonMapper.writeValueAsString(DOCUMENTS.initial())), OWNER, 1);
    }

}
