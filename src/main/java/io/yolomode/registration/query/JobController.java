package io.yolomode.registration.query;

import java.util.List;
import java.util.UUID;

import io.yolomode.registration.progress.StoredProgress;
import io.yolomode.registration.job.JobStatus;
import io.yolomode.registration.security.Caller;
import io.yolomode.registration.system.Refusal;

import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The job listing for an admin view, and any job's history (its progress is
 * {@link ProgressController}'s).
 */
@RestController
@RequestMapping("/api/registration/jobs")
class JobController {

    private static final int MAX_PAGE_SIZE = 100;

    private final JobQueries queries;

    JobController(JobQueries queries) {
        this.queries = queries;
    }

    @GetMapping
    JobPage list(Caller caller, @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable UUID restaurantId,
            @RequestParam(required = false) @Nullable UUID batchId,
            @RequestParam(required = false) @Nullable UUID organisationId, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw Refusal.invalid("page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE);
        }
        JobStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = JobStatus.of(status);
            }
            catch (IllegalArgumentException ex) {
                throw Refusal.invalid("status must be one of pending, in_progress, completed, failed, "
                        + "cancelled; got '" + status + "'");
            }
        }
        boolean superAdmin = caller.hasRole(Caller.SUPER_ADMIN);
        if (organisationId != null && !superAdmin && !organisationId.equals(caller.organisationId())) {
            throw Refusal.notPermitted("Only a super admin may list another organisation's jobs");
        }
        UUID organisation = organisationId != null ? organisationId : caller.organisationId();
        boolean all = superAdmin && organisationId == null;
        return queries.list(new JobFilter(organisation, all, wanted, restaurantId, batchId), page, size);
    }

    @GetMapping("/{jobId}/history")
    List<HistoryEntryView> history(Caller caller, @PathVariable UUID jobId) {
        return queries.history(caller, jobId);
    }

}
