package io.yolomode.registration.single;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.yolomode.registration.query.JobETags;
import io.yolomode.registration.job.StoredProgress;
import io.yolomode.registration.query.JobQueries;
import io.yolomode.registration.security.Caller;
import jakarta.validation.Valid;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dialog's endpoints: execute once, then poll progress; resume after a failure.
 */
@RestController
@RequestMapping("/api/registration")
class SingleRestaurantController {

    private final YoloJobService service;

    private final JobQueries queries;

    SingleRestaurantController(YoloJobService service, JobQueries queries) {
        this.service = service;
        this.queries = queries;
    }

    @Operation(summary = "Start the restaurant's YOLO pipeline in the background",
            description = "202 with the job id and a Location; 200 with alreadyRunning:true when the restaurant's "
                    + "job is active (nothing is reset); 403 when the feature flag is off.")
    @PostMapping("/execute-single-restaurant")
    ResponseEntity<Map<String, Object>> execute(Caller caller, @Valid @RequestBody ExecuteRequest request) {
        YoloJobService.ExecuteResult result = service.execute(caller, request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("jobId", result.jobId());
        body.put("status", result.status());
        if (result.alreadyRunning()) {
            body.put("alreadyRunning", true);
            return ResponseEntity.ok(body);
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/api/registration/jobs/" + result.jobId()))
                .body(body);
    }

    @Operation(summary = "Progress of the restaurant's latest single-restaurant job",
            description = "status not_started when there is none; ETag, and 304 on If-None-Match.")
    @GetMapping("/single-restaurant-progress/{restaurantId}")
    ResponseEntity<?> progress(Caller caller, @PathVariable UUID restaurantId,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        Optional<ResponseEntity<StoredProgress>> answer = JobETags.answer(ifNoneMatch,
                () -> queries.latestSingleTag(caller, restaurantId),
                () -> queries.latestSingleProgress(caller, restaurantId));
        return answer.isPresent() ? answer.get() : ResponseEntity.ok(service.notStarted(caller, restaurantId));
    }

    @Operation(summary = "Run the latest failed or cancelled job again from where it stopped")
    @PostMapping("/resume-single-restaurant/{restaurantId}")
    ResponseEntity<YoloJobService.ResumeResult> resume(Caller caller, @PathVariable UUID restaurantId) {
        YoloJobService.ResumeResult result = service.resume(caller, restaurantId);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/api/registration/jobs/" + result.jobId()))
                .body(result);
    }
}
