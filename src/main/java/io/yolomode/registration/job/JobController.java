package io.yolomode.registration.job;

import java.util.List;
import java.util.UUID;

import io.yolomode.registration.security.Caller;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Any job by id, single or batch: its progress and its history.
 */
@RestController
@RequestMapping("/api/registration/jobs")
class JobController {

    private final JobQueries queries;

    JobController(JobQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/{jobId}")
    JobProgressView job(Caller caller, @PathVariable UUID jobId) {
        return queries.progress(caller, jobId);
    }

    @GetMapping("/{jobId}/history")
    List<JobHistoryEntry> history(Caller caller, @PathVariable UUID jobId) {
        return queries.history(caller, jobId);
    }
}
