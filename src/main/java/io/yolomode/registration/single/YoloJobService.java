package io.yolomode.registration.single;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.yolomode.registration.job.FormData;
import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.progress.ProgressDocument;
import io.yolomode.registration.job.RegistrationJob;
import io.yolomode.registration.job.RegistrationJobHistoryEntry;
import io.yolomode.registration.job.RegistrationJobHistoryRepository;
import io.yolomode.registration.job.RegistrationJobRepository;
import io.yolomode.registration.job.RegistrationJobStep;
import io.yolomode.registration.job.RegistrationJobStepRepository;
import io.yolomode.registration.queue.HistoryEntryType;
import io.yolomode.registration.queue.JobQueue;
import io.yolomode.registration.queue.RunnerWakeUp;
import io.yolomode.registration.progress.SubStepProgress;
import io.yolomode.registration.progress.ProgressDocuments;
import io.yolomode.registration.restaurant.Restaurant;
import io.yolomode.registration.restaurant.RestaurantRepository;
import io.yolomode.registration.secrets.FormSecrets;
import io.yolomode.registration.security.Caller;
import io.yolomode.registration.system.Refusal;
import io.yolomode.registration.system.ApiProperties;
import lombok.extern.slf4j.Slf4j;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates, reuses and resumes single-restaurant jobs ({@code batch_job_id} null, progress
 * in the step-6 row). A job becomes runnable when its transaction commits; the runner
 * then claims it.
 */
@Slf4j
@Service
public class YoloJobService {

    private static final String ONE_ACTIVE_JOB_INDEX = "registration_jobs_one_active_single";

    private static final int RACE_RETRIES = 3;

    private final RegistrationJobRepository jobs;

    private final RegistrationJobStepRepository steps;

    private final RegistrationJobHistoryRepository history;

    private final JobQueue queue;

    private final RestaurantRepository restaurants;

    private final ApplicationEventPublisher publisher;

    private final SingleRestaurantProperties properties;

    private final TransactionTemplate transactions;

    private final Clock clock;

    private final ScheduleRule schedule;

    private final FormSecrets secrets;

    private final ProgressDocuments documents;

    YoloJobService(RegistrationJobRepository jobs, RegistrationJobStepRepository steps,
            RegistrationJobHistoryRepository history, JobQueue queue, RestaurantRepository restaurants,
            ApplicationEventPublisher publisher, SingleRestaurantProperties properties,
            PlatformTransactionManager transactionManager, Clock clock, ApiProperties api, FormSecrets secrets,
            ProgressDocuments documents) {
        this.jobs = jobs;
        this.steps = steps;
        this.history = history;
        this.queue = queue;
        this.restaurants = restaurants;
        this.publisher = publisher;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.schedule = new ScheduleRule(api.maxScheduleAhead());
        this.secrets = secrets;
        this.documents = documents;
    }

    /**
     * Starts the restaurant's pipeline: reuses its latest single job unless that one
     * completed, answers the active job untouched when there is one. Of concurrent calls
     * for one restaurant exactly one creates the job; the others see it as already
     * running.
     */
    public ExecuteResult execute(Caller caller, ExecuteRequest request) {
        if (!properties.enabled()) {
            throw Refusal.notPermitted("Asynchronous single-restaurant registration is switched off");
        }
        Instant scheduledAt = schedule.startOf(request.scheduledAt(), clock.instant());
        return withRaceRetries(
                () -> transactions.execute(status -> executeInTransaction(caller, request, scheduledAt)));
    }

    /**
     * Runs the latest failed or cancelled job of the restaurant again from where it
     * stopped.
     */
    public ResumeResult resume(Caller caller, UUID restaurantId) {
        return withRaceRetries(() -> transactions.execute(status -> {
            Restaurant restaurant = restaurantOf(caller, restaurantId);
            RegistrationJob job = jobs
                .findFirstByRestaurantIdAndBatchJobIdIsNullOrderByCreatedAtDesc(restaurant.getId())
                .orElseThrow(() -> Refusal.notFound("Restaurant " + restaurantId + " has no job to resume"));
            if (job.getStatus().isActive()) {
                throw Refusal.conflict("Job " + job.getId() + " is still " + job.getStatus().value());
            }
            if (job.getStatus() == JobStatus.COMPLETED) {
                throw Refusal.conflict("Job " + job.getId() + " completed; there is nothing to resume");
            }
            Instant now = clock.instant();
            ProgressDocument progress = requeueAt(job, secrets.reseal(job.getId(), job.getExecutionConfig()), false,
                    now, now);
            return new ResumeResult(true, job.getId(), JobStatus.PENDING.value(), firstPhaseToRun(progress));
        }));
    }

    private ExecuteResult executeInTransaction(Caller caller, ExecuteRequest request, Instant scheduledAt) {
        Restaurant restaurant = restaurantOf(caller, request.restaurantId());
        FormData form = request.formData();
        UUID selectedMenu = form.menu().selectedMenuId();
        if (selectedMenu != null && !restaurant.hasMenu(selectedMenu)) {
            throw Refusal.invalid("formData.menu.selectedMenuId " + selectedMenu + " is not a menu of restaurant "
                    + restaurant.getId());
        }
        Optional<RegistrationJob> latest = jobs
            .findFirstByRestaurantIdAndBatchJobIdIsNullOrderByCreatedAtDesc(restaurant.getId());
        if (latest.isPresent() && latest.get().getStatus().isActive()) {
            RegistrationJob active = latest.get();
            return new ExecuteResult(active.getId(), active.getStatus().value(), true, false);
        }
        Instant now = clock.instant();
        if (latest.isPresent() && latest.get().getStatus() != JobStatus.COMPLETED) {
            RegistrationJob job = latest.get();
            requeueAt(job, secrets.seal(job.getId(), form), request.restartRequested(), scheduledAt, now);
            return new ExecuteResult(job.getId(), JobStatus.PENDING.value(), false, false);
        }
        UUID jobId = UUID.randomUUID();
        RegistrationJob job = jobs.saveAndFlush(new RegistrationJob(jobId, null, restaurant.getId(),
                caller.organisationId(), secrets.seal(jobId, form), scheduledAt, now));
        steps.save(new RegistrationJobStep(UUID.randomUUID(), job.getId(), RegistrationJob.YOLO_STEP_NUMBER,
                documents.initial(), now));
        history.save(new RegistrationJobHistoryEntry(job.getId(), job.getVersion(), now,
                HistoryEntryType.JOB_CREATED.text(), job.getStatus().value()));
        publisher.publishEvent(RunnerWakeUp.jobQueued(job.getId()));
        log.info("Created job {} for restaurant {}", job.getId(), restaurant.getId());
        return new ExecuteResult(job.getId(), job.getStatus().value(), false, true);
    }

    /**
     * Queues the ended job again through the {@link JobQueue}, fenced by the version it
     * was read at: a concurrent reuse of the same row makes this one retry (see
     * {@link #withRaceRetries}).
     */
    private ProgressDocument requeueAt(RegistrationJob job, FormData form, boolean restart, Instant scheduledAt,
            Instant now) {
        ProgressDocument progress = documents.forRerun(queue.storedProgress(job.getId()).orElse(null), restart);
        queue.requeue(job.getId(), job.getVersion(), form, progress, scheduledAt, now);
        publisher.publishEvent(RunnerWakeUp.jobQueued(job.getId()));
        log.info("Queued job {} again for restaurant {}{}", job.getId(), job.getRestaurantId(),
                restart ? " from the start" : "");
        return progress;
    }

    private Restaurant restaurantOf(Caller caller, UUID restaurantId) {
        return restaurants.findByIdAndOrganisationId(restaurantId, caller.organisationId())
            .orElseThrow(() -> Refusal.notFound("Restaurant " + restaurantId + " was not found"));
    }

    private String firstPhaseToRun(ProgressDocument progress) {
        for (Map.Entry<String, SubStepProgress> entry : documents.all(progress).entrySet()) {
            if (!entry.getValue().status().isDone()) {
                return documents.phaseOf(entry.getKey());
            }
        }
        return progress.currentPhase();
    }

    /**
     * The loser of a race for one restaurant (the one-active-job index, or a concurrent
     * reuse of the same row) tries again and then finds the winner's job.
     */
    private <T> T withRaceRetries(java.util.function.Supplier<T> work) {
        for (int attempt = 1;; attempt++) {
            try {
                return work.get();
            }
            catch (DataIntegrityViolationException ex) {
                if (!String.valueOf(ex.getMessage()).contains(ONE_ACTIVE_JOB_INDEX) || attempt >= RACE_RETRIES) {
                    throw ex;
                }
                log.info("Another request created the restaurant's active job first; answering that one");
            }
            catch (OptimisticLockingFailureException ex) {
                if (attempt >= RACE_RETRIES) {
                    throw Refusal.conflict("The job changed while this request ran; try again", Map.of());
                }
            }
        }
    }

    /**
     * What execute did: the job, its status, and whether it was already running or newly
     * created.
     */
    public record ExecuteResult(UUID jobId, String status, boolean alreadyRunning, boolean created) {
    }

    /**
     * What resume did: the job and the first phase it runs again.
     */
    public record ResumeResult(boolean success, UUID jobId, String status, String resumingFrom) {
    }

}
