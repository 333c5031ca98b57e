package io.yolomode.registration.pipeline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestDownstream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A call's success is written behind it, but never later than the start of the next call:
 * while the job's row cannot be written (locked elsewhere), the last call of phase 1
 * succeeds and no call of phase 2 starts; once the row can be written, the success is
 * kept and the job goes on to the end. Every success has its history entry, the last ones
 * written by the job's end in its own statement, and the history's sequence has no gap.
 */
class SuccessKeptBeforeNextCallTest extends CallerTestSupport {

    private static final Set<String> PHASE_1 = Set.of("cloudwaitressAccount", "codeGeneration", "createOnboardingUser",
            "uploadImages");

    @Autowired
    DataSource dataSource;

    @Test
    void noCallOfTheNextPhaseStartsBeforeThePreviousSuccessIsWritten() throws Exception {
        UUID restaurant = data.restaurant(organisation, "Kept Kitchen");
        UUID menu = data.menu(restaurant, "Main");
        TestDownstream.succeedAfter(restaurant, "/api/registration/register-account", 1000);
        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        await().atMost(Duration.ofSeconds(10))
            .until(() -> TestDownstream.callsOf(jobId, "cloudwaitressAccount").size() == 1);

        try (Connection locker = dataSource.getConnection()) {
            locker.setAutoCommit(false);
            try (PreparedStatement lock = locker
                .prepareStatement("select id from registration_jobs where id = ? for update")) {
                lock.setObject(1, jobId);
                lock.executeQuery().close();
            }

            await().during(Duration.ofSeconds(4))
                .atMost(Duration.ofSeconds(6))
                .until(() -> subStepsCalled(jobId).stream().allMatch(PHASE_1::contains));
            locker.rollback();
        }

        JsonNode done = jobs.awaitEnd(jobId);
        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(subStepsCalled(jobId)).contains("restaurantRegistration", "menuImport");
        List<String> history = jdbc.sql("""
                select sub_step || ':' || status from registration_job_events
                where registration_job_id = ? and sub_step is not null order by sequence""")
            .param(jobId)
            .query(String.class)
            .list();
        assertThat(history.indexOf("cloudwaitressAccount:completed"))
            .isLessThan(history.indexOf("restaurantRegistration:in_progress"));
        assertThat(TestDownstream.callsOf(jobId, "cloudwaitressAccount")).hasSize(1);
        assertThat(history).containsAll(subStepsCalled(jobId).stream().map(key -> key + ":completed").toList());
        List<Long> sequences = jdbc
            .sql("select sequence from registration_job_events where registration_job_id = ? order by sequence")
            .param(jobId)
            .query(Long.class)
            .list();
        long first = sequences.get(0);
        assertThat(sequences).isEqualTo(LongStream.range(first, first + sequences.size()).boxed().toList());
        assertThat(
                jdbc.sql("select version from registration_jobs where id = ?").param(jobId).query(Long.class).single())
            .isEqualTo(sequences.get(sequences.size() - 1));
    }

    private static List<String> subStepsCalled(UUID jobId) {
        return TestDownstream.callsOf(jobId)
            .stream()
            .map(LoggedRequest::getHeaders)
            .map(headers -> headers.getHeader("Idempotency-Key").firstValue().split(":")[1])
            .toList();
    }

}
