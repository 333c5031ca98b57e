package io.yolomode.registration.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.job.FormData;
import io.yolomode.registration.job.RegistrationJob;
import io.yolomode.registration.job.RegistrationJobRepository;
import io.yolomode.registration.job.RegistrationJobStep;
import io.yolomode.registration.job.RegistrationJobStepRepository;
import io.yolomode.registration.testsupport.IntegrationTest;
import io.yolomode.registration.testsupport.TestData;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sub_step_progress} and {@code execution_config} are JSONB mapped to records;
 * what is written comes back unchanged and keeps the JSON shape of DESIGN.md section 4
 * (epoch-millisecond numbers stay numbers).
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
                new FormData.Account(true, "owner@example.test", "s3cret!", "+64 21 000", Map.of("plan", "pro")), null,
                new FormData.Menu(UUID.randomUUID(), true, true, false, null), null, null, null,
                new LinkedHashMap<>(Map.of("dialogVersion", 3)));
        ProgressDocument document = fullDocument();

        transactions.executeWithoutResult(status -> {
            // scheduled for tomorrow, so that no runner claims the job while the test
            // reads its document back
            jobs.save(new RegistrationJob(jobId, null, restaurant, organisation, formData, now.plus(Duration.ofDays(1)),
                    now));
            steps.save(new RegistrationJobStep(UUID.randomUUID(), jobId, 6, document, now));
        });

        ProgressDocument reloaded = steps.findByRegistrationJobIdAndStepNumber(jobId, 6)
            .orElseThrow()
            .getSubStepProgress();
        assertThat(reloaded).isEqualTo(document);
        assertThat(jobs.findById(jobId).orElseThrow().getExecutionConfig()).isEqualTo(formData);

        String numberType = jdbc.sql("""
                select jsonb_typeof(sub_step_progress #> '{phases,phase1,sub_steps,cloudwaitressAccount,started_at}')
                from registration_job_steps where registration_job_id = ?""").param(jobId).query(String.class).single();
        assertThat(numberType).isEqualTo("number");
        String currentPhase = jdbc.sql(
                "select sub_step_progress ->> 'current_phase' from registration_job_steps where registration_job_id = ?")
            .param(jobId)
            .query(String.class)
            .single();
        assertThat(currentPhase).isEqualTo("phase2");
        String blockedBy = jdbc.sql("""
                select sub_step_progress #>> '{phases,phase3,sub_steps,optionSets,blocked_by,0}'
                from registration_job_steps where registration_job_id = ?""").param(jobId).query(String.class).single();
        assertThat(blockedBy).isEqualTo("menuImport");
        String unknownField = jdbc
            .sql("select execution_config ->> 'dialogVersion' from registration_jobs where id = ?")
            .param(jobId)
            .query(String.class)
            .single();
        assertThat(unknownField).isEqualTo("3");
        String sectionExtra = jdbc
            .sql("select execution_config #>> '{account,plan}' from registration_jobs where id = ?")
            .param(jobId)
            .query(String.class)
            .single();
        assertThat(sectionExtra).isEqualTo("pro");
    }

    private static ProgressDocument fullDocument() {
        Map<String, SubStepProgress> phase1 = new LinkedHashMap<>();
        phase1.put("cloudwaitressAccount",
                SubStepProgress.completed(1732800000000L, 1732800006400L, 1, Map.of("userId", "u-1")));
        phase1.put("codeGeneration",
                SubStepProgress.completed(1732800000000L, 1732800003000L, 2, null).withPreviousError("HTTP 503"));
        phase1.put("createOnboardingUser",
                SubStepProgress.skipped(1732800000001L, "onboarding.createOnboardingUser is off"));
        Map<String, SubStepProgress> phase2 = new LinkedHashMap<>();
        phase2.put("menuImport", SubStepProgress.retrying(1732800007000L, 2, "HTTP 503: busy"));
        phase2.put("paymentConfig", SubStepProgress.failed(1732800007000L, 1732800008000L, 1, "HTTP 400: bad link"));
        Map<String, SubStepProgress> phase3 = Map.of("optionSets", SubStepProgress.blocked(List.of("menuImport")));
        Map<String, PhaseProgress> phases = new LinkedHashMap<>();
        phases.put("phase1", new PhaseProgress(PhaseStatus.COMPLETED, "Initial parallel operations", phase1));
        phases.put("phase2", new PhaseProgress(PhaseStatus.IN_PROGRESS, "Configuration", phase2));
        phases.put("phase3", new PhaseProgress(PhaseStatus.PENDING, "Option sets", phase3));
        return new ProgressDocument("phase2", phases,
                RunContext.empty()
                    .with("codeInjectionId", "ci-123")
                    .with("generatedAt", 1732800002000L)
                    .with("filePaths", List.of("head.html", "body.html"))
                    .with("onboardingUserCreated", true));
    }

}
