package io.yolomode.registration.job;

import java.util.List;
import java.util.UUID;

import io.yolomode.registration.security.Caller;
import io.yolomode.registration.system.ApiException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads any job, single or batch, within the caller's organisation: its progress and its history.
 */
@Service
@Transactional(readOnly = true)
public class JobQueries {

    private final RegistrationJobRepository jobs;

    private final RegistrationJobStepRepository steps;

    private final RegistrationJobEventRepository events;

    private final ProgressLayout layout;

    JobQueries(RegistrationJobRepository jobs, RegistrationJobStepRepository steps,
            RegistrationJobEventRepository events, ProgressLayout layout) {
        this.jobs = jobs;
        this.steps = steps;
        this.events = events;
        this.layout = layout;
    }

    public JobProgressView progress(Caller caller, UUID jobId) {
        return progress(jobOf(caller, jobId));
    }

    /** The job with its progress document, sub-steps in pipeline order. */
    public JobProgressView progress(RegistrationJob job) {
        ProgressDocument progress = steps.findByRegistrationJobIdAndStepNumber(job.getId(),
                RegistrationJob.YOLO_STEP_NUMBER)
                .map(RegistrationJobStep::getSubStepProgress)
                .map(layout::inPipelineOrder)
                .orElse(null);
        return JobProgressView.of(job, progress);
    }

    public List<JobHistoryEntry> history(Caller caller, UUID jobId) {
        RegistrationJob job = jobOf(caller, jobId);
        return events.findByRegistrationJobIdOrderBySequence(job.getId()).stream().map(JobHistoryEntry::of).toList();
    }

    private RegistrationJob jobOf(Caller caller, UUID jobId) {
        return jobs.findByIdAndOrganisationId(jobId, caller.organisationId())
                .orElseThrow(() -> ApiException.notFound("Job " + jobId + " was not found"));
    }
}
