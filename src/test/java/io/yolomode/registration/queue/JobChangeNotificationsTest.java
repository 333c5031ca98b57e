package io.yolomode.registration.queue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import io.yolomode.registration.progress.SubStepProgress;
import io.yolomode.registration.testsupport.CallerTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static io.yolomode.registration.testsupport.StandardPipeline.DOCUMENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the history trigger sends (V7): one notification per job and statement, carrying
 * the job's newest sequence, however many entries the statement appended; a statement
 * that appends entries of several jobs tells each of them.
 */
class JobChangeNotificationsTest extends CallerTestSupport {

    private static final String OWNER = "notifications-test";

    @Autowired
    DataSource dataSource;

    @Autowired
    JobQueue queue;

    @Autowired
    JsonMapper jsonMapper;

    Connection listener;

    final List<String> heard = new ArrayList<>();

    @BeforeEach
    void listen() throws Exception {
        listener = dataSource.getConnection();
        listener.setAutoCommit(true);
        try (Statement statement = listener.createStatement()) {
            statement.execute("listen " + NotificationChannels.JOB_CHANGED);
        }
    }

    @AfterEach
    void stopListening() throws Exception {
        try (Statement statement = listener.createStatement()) {
            statement.execute("unlisten *");
        }
        listener.close();
    }

    @Test
    void aWriteOfThreeTransitionsSendsOneNotificationWithTheNewestSequence() throws Exception {
        JobLease lease = held();
        long version = version(lease.jobId());

        long written = queue.writeProgress(lease, DOCUMENTS.initial(),
                List.of(HistoryEntry.subStep("codeGeneration", SubStepProgress.pending()),
                        HistoryEntry.subStep("codeGeneration", SubStepProgress.started(1L)),
                        HistoryEntry.subStep("codeGeneration", SubStepProgress.completed(1L, 2L, 1, null))));

        assertThat(written).isEqualTo(version + 3);
        await().atMost(Duration.ofSeconds(10))
            .until(() -> heardAbout(lease.jobId()).contains(lease.jobId() + ":" + written));
        // a marker written after it: everything the write sent has arrived once the
        // marker has
        long marker = queue.writeProgress(lease, DOCUMENTS.initial(),
                List.of(HistoryEntry.subStep("codeGeneration", SubStepProgress.pending())));
        await().atMost(Duration.ofSeconds(10))
            .until(() -> heardAbout(lease.jobId()).contains(lease.jobId() + ":" + marker));
        assertThat(heardAbout(lease.jobId())).containsExactly(lease.jobId() + ":" + written,
                lease.jobId() + ":" + marker);
    }

    @Test
    void aStatementAppendingEntriesOfTwoJobsTellsEachOfThemOnce() throws Exception {
        JobLease first = held();
        JobLease second = held();

        jdbc.sql("""
                insert into registration_job_events (registration_job_id, sequence, type, status)
                values (?, 101, 'sub_step', 'pending'), (?, 102, 'sub_step', 'pending'),
                       (?, 201, 'sub_step', 'pending')""")
            .params(first.jobId(), first.jobId(), second.jobId())
            .update();

        await().atMost(Duration.ofSeconds(10))
            .until(() -> heardAbout(first.jobId()).size() == 1 && heardAbout(second.jobId()).size() == 1);
        assertThat(heardAbout(first.jobId())).containsExactly(first.jobId() + ":102");
        assertThat(heardAbout(second.jobId())).containsExactly(second.jobId() + ":201");
    }

    private List<String> heardAbout(UUID jobId) throws Exception {
        PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(100);
        if (notifications != null) {
            for (PGNotification notification : notifications) {
                heard.add(notification.getParameter());
            }
        }
        return heard.stream().filter(payload -> payload.startsWith(jobId + ":")).toList();
    }

    private long version(UUID jobId) {
        return jdbc.sql("select version from registration_jobs where id = ?").param(jobId).query(Long.class).single();
    }

    private JobLease held() {
        UUID restaurant = data.restaurant(organisation, "Notified Diner");
        return new JobLease(data.heldJob(organisation, restaurant, OWNER, 1, "{}",
                jsonMapper.writeValueAsString(DOCUMENTS.initial())), OWNER, 1);
    }

}
