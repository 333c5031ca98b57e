package io.yolomode.registration.job;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.IntegrationTest;
import io.yolomode.registration.testsupport.TestData;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sub_step_progress} and {@code execution_config} are JSONB mapped to records; what is written comes back
 * unchanged and keeps the JSON shape of DESIGN.md section 4 (epoch-millisecond numbers stay numbers).
 */
@IntegrationTest
class ProgressDocumentJsonbTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RegistrationJobRepository jobs;

    @Autowired
    RegistrationJobStepRepository steps;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void fullProgressDocumentRoundTrips() {
        TestData data = new TestData(jdbc);
        UUID organisation = data.organisation();
        UUID restaurant = data.restaurant(organisation, "Round Trip Diner");
        Instant now = Instant.now();
        UUID jobId = UUID.randomUUID();
        FormData formData = new FormData(
                new FormData.Account(true, "owner@example.test", "s3cret!", "+64 21 000", Map.of("plan", "pro")),
                null,
                new FormData.Menu(UUID.randomUUID(), true, true, false, null),
                null, null, null,
                new LinkedHashMap<>(Map.of("dialogVersion", 3)));
        ProgressDocument document = fullDocument();

        transactions.executeWithoutResult(status -> {
            jobs.save(new RegistrationJob(jobId, null, restaurant, organisation, formData, now, now));
            steps.save(new RegistrationJobStep(UUID.randomUUID(), jobId, 6, document, now));
        });

        ProgressDocument reloaded = steps.findByRegistrationJobIdAndStepNumber(jobId, 6).orElseThrow()
                .getSubStepProgress();
        assertThat(reloaded).isEqualTo(document);
        assertThat(jobs.findById(jobId).orElseThrow().getExecutionConfig()).isEqualTo(formData);

        String numberType = jdbc.sql("""
                select jsonb_typeof(sub_step_progress #> '{phases,phase1,sub_steps,cloudwaitressAccount,started_at}')
                from registration_job_steps where registration_job_id = ?""").param(jobId).query(String.class).single();
        assertThat(numberType).isEqualTo("number");
        String currentPhase = jdbc.sql("select sub_step_progress ->> 'current_phase' from registration_job_steps where registration_job_id = ?")
                .param(jobId).query(String.class).single();
        assertThat(currentPhase).isEqualTo("phase2");
        String blockedBy = jdbc.sql("""
                select sub_step_progress #>> '{phases,phase3,sub_steps,optionSets,blocked_by,0}'
                from registration_job_steps where registration_job_id = ?""").param(jobId).query(String.class).single();
        assertThat(blockedBy).isEqualTo("menuImport");
        String unknownField = jdbc.sql("select execution_config ->> 'dialogVersion' from registration_jobs where id = ?")
                .param(jobId).query(String.class).single();
        assertThat(unknownField).isEqualTo("3");
        String sectionExtra = jdbc.sql("select execution_config #>> '{account,plan}' from registration_jobs where id = ?")
                .param(jobId).query(String.class).single();
        assertThat(sectionExtra).isEqualTo("pro");
    }

    private static ProgressDocument fullDocument() {
        Map<String, SubStepProgress> phase1 = new LinkedHashMap<>();
        phase1.put("cloudwaitressAccount", new SubStepProgress(SubStepStatus.COMPLETED, 1732800000000L,
                1732800006400L, null, 1, null, null, null, null, Map.of("userId", "u-1")));
        phase1.put("codeGeneration", new SubStepProgress(SubStepStatus.COMPLETED, 1732800000000L, 1732800003000L,
                null, 2, "HTTP 503", null, null, null, null));
        phase1.put("createOnboardingUser", new SubStepProgress(SubStepStatus.SKIPPED, null, 1732800000001L, null,
                null, null, null, "onboarding.createOnboardingUser is off", null, null));
        Map<String, SubStepProgress> phase2 = new LinkedHashMap<>();
        phase2.put("menuImport", new SubStepProgress(SubStepStatus.RETRYING, 1732800007000L, null, 2, null,
                "HTTP 503: busy", null, null, null, null));
        phase2.put("paymentConfig", new SubStepProgress(SubStepStatus.FAILED, 1732800007000L, 1732800008000L,
                null, 1, null, "HTTP 400: bad link", null, null, null));
        Map<String, SubStepProgress> phase3 = Map.of("optionSets", new SubStepProgress(SubStepStatus.PENDING, null,
                null, null, null, null, null, null, List.of("menuImport"), null));
        Map<String, PhaseProgress> phases = new LinkedHashMap<>();
        phases.put("phase1", new PhaseProgress("completed", "Initial parallel operations", phase1));
        phases.put("phase2", new PhaseProgress("in_progress", "Configuration", phase2));
        phases.put("phase3", new PhaseProgress("pending", "Option sets", phase3));
        return new ProgressDocument("phase2", phases,
                new RunContext("ci-123", 1732800002000L, List.of("head.html", "body.html"), true, null));
    }
}
