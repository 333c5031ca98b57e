package io.yolomode.registration.single;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.yolomode.registration.job.FormData;
import io.yolomode.registration.job.JobEvent;
import io.yolomode.registration.job.JobQueuedEvent;
import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.job.ProgressDocument;
import io.yolomode.registration.job.RegistrationJob;
import io.yolomode.registration.job.RegistrationJobEvent;
import io.yolomode.registration.job.RegistrationJobEventRepository;
import io.yolomode.registration.job.RegistrationJobRepository;
import io.yolomode.registration.job.RegistrationJobStep;
import io.yolomode.registration.job.RegistrationJobStepRepository;
import io.yolomode.registration.job.SubStepProgress;
import io.yolomode.registration.pipeline.Pipeline;
import io.yolomode.registration.pipeline.ProgressDocuments;
import io.yolomode.registration.restaurant.Restaurant;
import io.yolomode.registration.restaurant.RestaurantRepository;
import io.yolomode.registration.secrets.FormSecrets;
import io.yolomode.registration.security.Caller;
import io.yolomode.registration.system.ApiException;
import io.yolomode.registration.system.ApiProperties;
import lombok.extern.slf4j.Slf4j;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates, reuses and resumes single-restaurant jobs ({@code batch_job_id} null, progress in the step-6
 * row). A job becomes runnable when its transaction commits; the runner then claims it.
 */
@Slf4j
@Service
public class YoloJobService {

    private static final String ONE_ACTIVE_JOB_INDEX = "registration_jobs_one_active_single";

    private static final int RACE_RETRIES = 3;

    private final RegistrationJobRepository jobs;

    private final RegistrationJobStepRepository steps;

    private final RegistrationJobEventRepository events;

    private final RestaurantRepository restaurants;

    private final ApplicationEventPublisher publisher;

    private final SingleRestaurantProperties properties;

    private final TransactionTemplate transactions;

    private final Clock clock;

    private final ScheduleRule schedule;

    private final FormSecrets secrets;

    YoloJobService(RegistrationJobRepository jobs, RegistrationJobStepRepository steps,
            RegistrationJobEventRepository events, RestaurantRepository restaurants,
            ApplicationEventPublisher publisher, SingleRestaurantProperties properties,
            PlatformTransactionManager transactionManager, Clock clock, ApiProperties api, FormSecrets secrets) {
        this.jobs = jobs;
        this.steps = steps;
        this.events = events;
        this.restaurants = restaurants;
        this.publisher = publisher;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.schedule = new ScheduleRule(api.maxScheduleAhead());
        this.secrets = secrets;
    }

    /**
     * Starts the restaurant's pipeline: reuses its latest single job unless that one completed, answers the active
     * job untouched when there is one. Of concurrent calls for one restaurant exactly one creates the job; the
     * others see it as already running.
     */
    public ExecuteResult execute(Caller caller, ExecuteRequest request) {
        if (!properties.enabled()) {
            throw ApiException.forbidden("Asynchronous single-restaurant registration is switched off");
        }
        Instant scheduledAt = schedule.startOf(request.scheduledAt(), clock.instant());
        return withRaceRetries(() -> transactions.execute(status -> executeInTransaction(caller, request,
                scheduledAt)));
    }

    /**
     * Runs the latest failed or cancelled job of the restaurant again from where it stopped.
     */
    public ResumeResult resume(Caller caller, UUID restaurantId) {
        return withRaceRetries(() -> transactions.execute(status -> {
            Restaurant restaurant = restaurantOf(caller, restaurantId);
            RegistrationJob job = jobs.findFirstByRestaurantIdAndBatchJobIdIsNullOrderByCreatedAtDesc(
                    restaurant.getId())
                    .orElseThrow(() -> ApiException.notFound("Restaurant " + restaurantId + " has no job to resume"));
            if (job.getStatus().isActive()) {
                throw ApiException.conflict("Job " + job.getId() + " is still " + job.getStatus().value());
            }
            if (job.getStatus() == JobStatus.COMPLETED) {
                throw ApiException.conflict("Job " + job.getId() + " completed; there is nothing to resume");
            }
            Instant now = clock.instant();
            ProgressDocument progress = requeueAt(job, secrets.reseal(job.getId(), job.getExecutionConfig()), false,
                    now, now);
            return new ResumeResult(true, job.getId(), job.getStatus().value(), firstPhaseToRun(progress));
        }));
    }

    private ExecuteResult executeInTransaction(Caller caller, ExecuteRequest request, Instant scheduledAt) {
        Restaurant restaurant = restaurantOf(caller, request.restaurantId());
        FormData form = request.formData();
        UUID selectedMenu = form.menu().selectedMenuId();
        if (selectedMenu != null && !restaurant.hasMenu(selectedMenu)) {
            throw ApiException.badRequest("formData.menu.selectedMenuId " + selectedMenu
                    + " is not a menu of restaurant " + restaurant.getId());
        }
        Optional<RegistrationJob> latest = jobs.findFirstByRestaurantIdAndBatchJobIdIsNullOrderByCreatedAtDesc(
                restaurant.getId());
        if (latest.isPresent() && latest.get().getStatus().isActive()) {
            RegistrationJob active = latest.get();
            return new ExecuteResult(active.getId(), active.getStatus().value(), true, false);
        }
        Instant now = clock.instant();
        if (latest.isPresent() && latest.get().getStatus() != JobStatus.COMPLETED) {
            RegistrationJob job = latest.get();
            requeueAt(job, secrets.seal(job.getId(), form), request.restartRequested(), scheduledAt, now);
            return new ExecuteResult(job.getId(), job.getStatus().value(), false, false);
        }
        UUID jobId = UUID.randomUUID();
        RegistrationJob job = jobs.saveAndFlush(new RegistrationJob(jobId, null, restaurant.getId(),
                caller.organisationId(), secrets.seal(jobId, form), scheduledAt, now));
        steps.save(new RegistrationJobStep(UUID.randomUUID(), job.getId(), RegistrationJob.YOLO_STEP_NUMBER,
                ProgressDocuments.initial(), now));
        events.save(new RegistrationJobEvent(job.getId(), job.getVersion(), now, JobEvent.CREATED,
                job.getStatus().value()));
        publisher.publishEvent(new JobQueuedEvent(job.getId()));
        log.info("Created job {} for restaurant {}", job.getId(), restaurant.getId());
        return new ExecuteResult(job.getId(), job.getStatus().value(), false, true);
    }

    private ProgressDocument requeueAt(RegistrationJob job, FormData form, boolean restart, Instant scheduledAt,
            Instant now) {
        RegistrationJobStep step = steps.findByRegistrationJobIdAndStepNumber(job.getId(),
                RegistrationJob.YOLO_STEP_NUMBER)
                .orElseGet(() -> new RegistrationJobStep(UUID.randomUUID(), job.getId(),
                        RegistrationJob.YOLO_STEP_NUMBER, null, now));
        ProgressDocument progress = ProgressDocuments.forRerun(step.getSubStepProgress(), restart);
        job.requeue(form, scheduledAt, now);
        jobs.saveAndFlush(job);
        step.requeue(progress, now);
        steps.save(step);
        events.save(new RegistrationJobEvent(job.getId(), job.getVersion(), now, JobEvent.QUEUED,
                job.getStatus().value()));
        publisher.publishEvent(new JobQueuedEvent(job.getId()));
        log.info("Queued job {} again for restaurant {}{}", job.getId(), job.getRestaurantId(),
                restart ? " from the start" : "");
        return progress;
    }

    private Restaurant restaurantOf(Caller caller, UUID restaurantId) {
        return restaurants.findByIdAndOrganisationId(restaurantId, caller.organisationId())
                .orElseThrow(() -> ApiException.notFound("Restaurant " + restaurantId + " was not found"));
    }

    private static String firstPhaseToRun(ProgressDocument progress) {
        for (Map.Entry<String, SubStepProgress> entry : ProgressDocuments.all(progress).entrySet()) {
            if (!entry.getValue().status().isDone()) {
                return Pipeline.subStep(entry.getKey()).phase();
            }
        }
        return progress.currentPhase();
    }

    /**
     * The loser of a race for one restaurant (the one-active-job index, or a concurrent reuse of the same row)
     * tries again and then finds the winner's job.
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
                    throw new ApiException(HttpStatus.CONFLICT, "The job changed while this request ran; try again",
                            Map.of());
                }
            }
        }
    }

    /**
     * What execute did: the job, its status, and whether it was already running or newly created.
     */
    public record ExecuteResult(UUID jobId, String status, boolean alreadyRunning, boolean created) {
    }

    /**
     * What resume did: the job and the first phase it runs again.
     */
    public record ResumeResult(boolean success, UUID jobId, String status, String resumingFrom) {
    }
}
