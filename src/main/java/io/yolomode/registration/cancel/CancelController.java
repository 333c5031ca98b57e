package io.yolomode.registration.cancel;

import java.util.UUID;

import io.yolomode.registration.security.Caller;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stops a job for real: {@code POST /api/registration/jobs/{jobId}/cancel}.
 */
@RestController
class CancelController {

    private final JobCancellation cancellation;

    CancelController(JobCancellation cancellation) {
        this.cancellation = cancellation;
    }

    @PostMapping("/api/registration/jobs/{jobId}/cancel")
    ResponseEntity<JobCancellation.CancelResult> cancel(Caller caller, @PathVariable UUID jobId) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(cancellation.cancel(caller, jobId));
    }

}
