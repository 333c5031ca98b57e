package io.yolomode.registration.batch;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.yolomode.registration.cancel.JobCancellation;
import io.yolomode.registration.job.FormData;
import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.job.RegistrationJob;
import io.yolomode.registration.job.RegistrationJobHistoryEntry;
import io.yolomode.registration.job.RegistrationJobHistoryRepository;
import io.yolomode.registration.job.RegistrationJobRepository;
import io.yolomode.registration.job.RegistrationJobStep;
import io.yolomode.registration.job.RegistrationJobStepRepository;
import io.yolomode.registration.queue.HistoryEntryType;
import io.yolomode.registration.queue.JobQueue;
import io.yolomode.registration.queue.RunnerWakeUp;
import io.yolomode.registration.progress.ProgressDocuments;
import io.yolomode.registration.restaurant.Restaurant;
import io.yolomode.registration.restaurant.RestaurantRepository;
import io.yolomode.registration.secrets.FormSecrets;
import io.yolomode.registration.security.Caller;
import io.yolomode.registration.system.Refusal;
import lombok.extern.slf4j.Slf4j;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Batches of YOLO runs: one job per restaurant on the same runner as single-restaurant
 * jobs. Counters and the batch's final status move with the jobs' statuses (a database
 * trigger), so they are right however the jobs end.
 */
@Slf4j
@Service
class BatchService {

    private final RegistrationBatchJobRepository batches;

    private final RegistrationJobRepository jobs;

    private final RegistrationJobStepRepository steps;

    private final RegistrationJobHistoryRepository history;

    private final RestaurantRepository restaurants;

    private final JobCancellation cancellation;

    private final JobQueue queue;

    private final ApplicationEventPublisher publisher;

    private final JdbcClient jdbc;

    private final Clock clock;

    private final FormSecrets secrets;

    private final ProgressDocuments documents;

    BatchService(RegistrationBatchJobRepository batches, RegistrationJobRepository jobs,
            RegistrationJobStepRepository steps, RegistrationJobHistoryRepository history,
            RestaurantRepository restaurants, JobCancellation cancellation, JobQueue queue,
            ApplicationEventPublisher publisher, JdbcClient jdbc, Clock clock, FormSecrets secrets,
            ProgressDocuments documents) {
        this.batches = batches;
        this.jobs = jobs;
        this.steps = steps;
        this.history = history;
        this.restaurants = restaurants;
        this.cancellation = cancellation;
        this.queue = queue;
        this.publisher = publisher;
        this.jdbc = jdbc;
        this.clock = clock;
        this.secrets = secrets;
        this.documents = documents;
    }

    /**
     * Creates the batch and one job per restaurant, all or nothing: any restaurant
     * outside the caller's organisation, or any form that does not fit its restaurant, is
     * a 400 that writes no row.
     */
    @Transactional
    BatchRequests.Detail create(Caller caller, BatchRequests.CreateBatch request) {
        List<UUID> ids = request.restaurantIds();
        Set<UUID> seen = new HashSet<>();
        List<UUID> duplicates = ids.stream().filter(id -> !seen.add(id)).distinct().toList();
        if (!duplicates.isEmpty()) {
            throw invalid("restaurantIds lists restaurants more than once", duplicates);
        }
        Map<UUID, Restaurant> found = restaurants.findByIdInAndOrganisationId(ids, caller.organisationId())
            .stream()
            .collect(Collectors.toMap(Restaurant::getId, Function.identity()));
        List<UUID> unknown = ids.stream().filter(id -> !found.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw invalid("Restaurants not found in your organisation", unknown);
        }
        Map<UUID, FormData> overrides = request.overrides() == null ? Map.of() : request.overrides();
        List<UUID> strangers = overrides.keySet().stream().filter(id -> !found.containsKey(id)).toList();
        if (!strangers.isEmpty()) {
            throw invalid("overrides name restaurants that are not in restaurantIds", strangers);
        }
        List<UUID> wrongMenus = ids.stream().filter(id -> {
            UUID menu = overrides.getOrDefault(id, request.executionConfig()).menu().selectedMenuId();
            return menu != null && !found.get(id).hasMenu(menu);
        }).toList();
        if (!wrongMenus.isEmpty()) {
            throw invalid("menu.selectedMenuId is not a menu of these restaurants", wrongMenus);
        }

        Instant now = clock.instant();
        boolean start = Boolean.TRUE.equals(request.autoStart());
        RegistrationBatchJob batch = batches.save(new RegistrationBatchJob(UUID.randomUUID(), caller.organisationId(),
                request.name(), FormSecrets.withoutPasswords(request.executionConfig()), ids.size(), start, now));
        List<RegistrationJob> created = new ArrayList<>();
        for (UUID restaurantId : ids) {
            UUID jobId = UUID.randomUUID();
            RegistrationJob job = jobs
                .save(new RegistrationJob(jobId, batch.getId(), restaurantId, caller.organisationId(),
                        secrets.seal(jobId, overrides.getOrDefault(restaurantId, request.executionConfig())),
                        start ? now : RegistrationBatchJob.NOT_STARTED, now));
            steps.save(new RegistrationJobStep(UUID.randomUUID(), job.getId(), RegistrationJob.YOLO_STEP_NUMBER,
                    documents.initial(), now));
            history.save(new RegistrationJobHistoryEntry(job.getId(), 0, now, HistoryEntryType.JOB_CREATED.text(),
                    JobStatus.PENDING.value()));
            created.add(job);
        }
        if (start) {
            publisher.publishEvent(RunnerWakeUp.jobQueued(created.get(0).getId()));
        }
        log.info("Created batch {} with {} restaurants{}", batch.getId(), ids.size(), start ? ", started" : "");
        List<BatchRequests.BatchJobView> jobViews = created.stream()
            .map(job -> new BatchRequests.BatchJobView(job.getId(), job.getRestaurantId(),
                    found.get(job.getRestaurantId()).getName(), job.getStatus().value(), null, null))
            .toList();
        return new BatchRequests.Detail(true, BatchRequests.BatchView.of(batch), jobViews);
    }

    @Transactional
    BatchRequests.Detail start(Caller caller, UUID batchId) {
        RegistrationBatchJob batch = batches.lockByIdAndOrganisationId(batchId, caller.organisationId())
            .orElseThrow(() -> notFound(batchId));
        if (!batch.canStart()) {
            throw Refusal.conflict("Batch " + batchId + " is " + batch.getStatus().value()
                    + "; only a draft or pending batch can start", Map.of("status", batch.getStatus().value()));
        }
        batch.start(clock.instant());
        batches.saveAndFlush(batch);
        queue.scheduleBatchNow(batchId);
        publisher.publishEvent(RunnerWakeUp.batchStarted(batchId));
        log.info("Started batch {}", batchId);
        return detail(caller, batchId);
    }

    /**
     * Cancels every job of the batch that has not ended, as a job cancel does: pending
     * ones at once, running ones by their owners. The batch ends cancelled when the last
     * of them has.
     */
    @Transactional
    BatchRequests.CancelAnswer cancel(Caller caller, UUID batchId) {
        // the one lock order: the batch row, then its job rows by id (claims, job cancels
        // and job ends do the same)
        RegistrationBatchJob batch = batches.lockByIdAndOrganisationId(batchId, caller.organisationId())
            .orElseThrow(() -> notFound(batchId));
        List<Map.Entry<UUID, JobStatus>> active = queue.lockActiveJobsOfBatch(batchId, caller.organisationId());
        if (batch.isFinished() || active.isEmpty()) {
            throw Refusal.conflict("Batch " + batchId + " already ended " + batch.getStatus().value(),
                    Map.of("status", batch.getStatus().value()));
        }
        jdbc.sql("update registration_batch_jobs set cancel_requested_at = now(), updated_at = now() where id = ?")
            .param(batchId)
            .update();
        active.forEach(job -> cancellation.cancelLocked(job.getKey(), job.getValue()));
        long running = active.stream().filter(job -> job.getValue() == JobStatus.IN_PROGRESS).count();
        log.info("Cancelling batch {}: {} jobs, {} of them running", batchId, active.size(), running);
        return new BatchRequests.CancelAnswer(true, batchId, running > 0 ? "cancelling" : "cancelled");
    }

    @Transactional(readOnly = true)
    BatchRequests.Detail detail(Caller caller, UUID batchId) {
        RegistrationBatchJob batch = batches.findByIdAndOrganisationId(batchId, caller.organisationId())
            .orElseThrow(() -> notFound(batchId));
        List<BatchRequests.BatchJobView> jobViews = jdbc.sql("""
                select j.id, j.restaurant_id, r.name, j.status, s.sub_step_progress ->> 'current_phase' as phase,
                       j.error_message
                from registration_jobs j
                join restaurants r on r.id = j.restaurant_id
                left join registration_job_steps s on s.registration_job_id = j.id and s.step_number = %d
                where j.batch_job_id = ?
                order by r.name, j.id""".formatted(RegistrationJob.YOLO_STEP_NUMBER))
            .param(batchId)
            .query((rs, row) -> new BatchRequests.BatchJobView(rs.getObject("id", UUID.class),
                    rs.getObject("restaurant_id", UUID.class), rs.getString("name"), rs.getString("status"),
                    rs.getString("phase"), rs.getString("error_message")))
            .list();
        return new BatchRequests.Detail(true, BatchRequests.BatchView.of(batch), jobViews);
    }

    /**
     * Where the batch stands, from one read of its jobs, so the numbers always add up.
     */
    @Transactional(readOnly = true)
    BatchRequests.Progress progress(Caller caller, UUID batchId) {
        RegistrationBatchJob batch = batches.findByIdAndOrganisationId(batchId, caller.organisationId())
            .orElseThrow(() -> notFound(batchId));
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        Map<String, Integer> byPhase = new LinkedHashMap<>();
        Instant[] lastUpdated = { batch.getUpdatedAt() };
        jdbc.sql("""
                select j.status, s.sub_step_progress ->> 'current_phase' as phase, j.updated_at
                from registration_jobs j
                left join registration_job_steps s on s.registration_job_id = j.id and s.step_number = %d
                where j.batch_job_id = ?""".formatted(RegistrationJob.YOLO_STEP_NUMBER)).param(batchId).query(rs -> {
            String status = rs.getString("status");
            byStatus.merge(status, 1, Integer::sum);
            if ("in_progress".equals(status) && rs.getString("phase") != null) {
                byPhase.merge(rs.getString("phase"), 1, Integer::sum);
            }
            Instant updated = rs.getTimestamp("updated_at").toInstant();
            if (updated.isAfter(lastUpdated[0])) {
                lastUpdated[0] = updated;
            }
        });
        int completed = byStatus.getOrDefault("completed", 0);
        int failed = byStatus.getOrDefault("failed", 0);
        int cancelled = byStatus.getOrDefault("cancelled", 0);
        int inProgress = byStatus.getOrDefault("in_progress", 0);
        int pending = byStatus.getOrDefault("pending", 0);
        int total = completed + failed + cancelled + inProgress + pending;
        int percent = total == 0 ? 0 : (int) Math.floor(100.0 * (completed + failed + cancelled) / total);
        return new BatchRequests.Progress(true, batchId, batch.getStatus().value(), percent, byPhase,
                new BatchRequests.Summary(total, completed, failed, cancelled, inProgress, pending), lastUpdated[0]);
    }

    @Transactional(readOnly = true)
    BatchRequests.Page list(Caller caller, @Nullable BatchStatus status, int page, int size) {
        String where = " where organisation_id = :organisation" + (status == null ? "" : " and status = :status");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("organisation", caller.organisationId());
        if (status != null) {
            params.put("status", status.value());
        }
        long total = jdbc.sql("select count(*) from registration_batch_jobs" + where)
            .params(params)
            .query(Long.class)
            .single();
        List<UUID> ids = jdbc
            .sql("select id from registration_batch_jobs" + where
                    + " order by created_at desc, id limit :limit offset :offset")
            .params(params)
            .param("limit", size)
            .param("offset", (long) page * size)
            .query(UUID.class)
            .list();
        Map<UUID, RegistrationBatchJob> loaded = batches.findAllById(ids)
            .stream()
            .collect(Collectors.toMap(RegistrationBatchJob::getId, Function.identity()));
        List<BatchRequests.BatchView> content = ids.stream().map(loaded::get).map(BatchRequests.BatchView::of).toList();
        return new BatchRequests.Page(content, page, size, total, (int) ((total + size - 1) / size));
    }

    private static Refusal notFound(UUID batchId) {
        return Refusal.notFound("Batch " + batchId + " was not found");
    }

    private static Refusal invalid(String message, List<UUID> ids) {
        return Refusal.invalid(message + ": " + ids, Map.of("invalidRestaurantIds", ids));
    }

}
