package io.yolomode.registration.pipeline;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.job.FormData;
import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.progress.SubStepProgress;
import io.yolomode.registration.queue.JobLease;
import io.yolomode.registration.queue.JobQueue;
import io.yolomode.registration.testsupport.CallerTestSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static io.yolomode.registration.testsupport.StandardPipeline.DOCUMENTS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's end writes the transitions not written yet (successes are written behind) in
 * its own statement, before its {@code job_finished} entry: every transition keeps its
 * history entry, in order, with no gap in the sequence, and the job's version is the last
 * sequence.
 */
class JobEndWritesWhatIsLeftTest extends CallerTestSupport {

    private static final String OWNER = "job-end-test";

    @Autowired
    JobQueue queue;

    @Autowired
    ProgressWriter writer;

    @Autowired
    JsonMapper jsonMapper;

    @Test
    void theSuccessesNotWrittenYetGoWithTheEnd() {
        UUID jobId = held();
        // write-behind that never runs: only the end can write the successes
        JobRun run = new JobRun(new JobLease(jobId, OWNER, 1), null, queue, writer, queue.loadForRun(jobId), task -> {
        }, DOCUMENTS, jsonMapper);
        run.transition("codeGeneration", SubStepProgress.started(1L));
        run.transitionWrittenBehind("codeGeneration",
                SubStepProgress.completed(1L, 2L, 1, Map.of("codeInjectionId", "ci-1")));
        run.transitionWrittenBehind("uploadImages", SubStepProgress.completed(1L, 3L, 1, null));

        run.finish(JobStatus.COMPLETED, null);

        List<String> history = jdbc.sql("""
                select sequence || ' ' || type || ' ' || coalesce(sub_step, '') || ' ' || status
                from registration_job_events where registration_job_id = ? order by sequence""")
            .param(jobId)
            .query(String.class)
            .list();
        assertThat(history).containsExactly("1 sub_step codeGeneration in_progress",
                "2 sub_step codeGeneration completed", "3 sub_step uploadImages completed",
                "4 job_finished  completed");
        assertThat(jdbc.sql("select version || ' ' || status from registration_jobs where id = ?")
            .param(jobId)
            .query(String.class)
            .single()).isEqualTo("4 completed");
        assertThat(jdbc.sql("""
                select sub_step_progress #>> '{phases,phase1,sub_steps,uploadImages,status}'
                from registration_job_steps where registration_job_id = ?""").param(jobId).query(String.class).single())
            .isEqualTo("completed");
    }

    private UUID held() {
        return data.heldJob(organisation, data.restaurant(organisation, "Ending Eatery"), OWNER, 1,
                jsonMapper.writeValueAsString(FormData.empty()), jsonMapper.writeValueAsString(DOCUMENTS.initial()));
    }

}
