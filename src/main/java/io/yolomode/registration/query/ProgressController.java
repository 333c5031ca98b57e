package io.yolomode.registration.query;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.yolomode.registration.progress.StoredProgress;
import io.yolomode.registration.security.Caller;
import io.yolomode.registration.system.Refusal;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The progress polls, with an ETag; If-None-Match with the current tag answers 304: a job
 * by id (single or batch) and the dialog's poll of a restaurant's latest
 * single-restaurant job.
 */
@RestController
@RequestMapping("/api/registration")
class ProgressController {

    private final ProgressPolls polls;

    ProgressController(ProgressPolls polls) {
        this.polls = polls;
    }

    @Operation(summary = "Progress of any job, single or batch", description = "ETag, and 304 on If-None-Match.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = StoredProgress.class)))
    @GetMapping("/jobs/{jobId}")
    ResponseEntity<?> job(Caller caller, @PathVariable UUID jobId,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String ifNoneMatch) {
        return polls.job(caller, jobId, ifNoneMatch)
            .orElseThrow(() -> Refusal.notFound("Job " + jobId + " was not found"));
    }

    @Operation(summary = "Progress of the restaurant's latest single-restaurant job",
            description = "status not_started when there is none; ETag, and 304 on If-None-Match.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = StoredProgress.class)))
    @GetMapping("/single-restaurant-progress/{restaurantId}")
    ResponseEntity<?> latestSingle(Caller caller, @PathVariable UUID restaurantId,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String ifNoneMatch) {
        return polls.latestSingle(caller, restaurantId, ifNoneMatch);
    }

}
