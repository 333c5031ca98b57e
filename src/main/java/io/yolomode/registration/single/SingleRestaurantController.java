package io.yolomode.registration.single;

import java.net.URI;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.yolomode.registration.security.Caller;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dialog's commands: execute once, resume after a failure (its progress poll is the
 * read side's, {@code query.ProgressController}).
 */
@RestController
@RequestMapping("/api/registration")
class SingleRestaurantController {

    private final YoloJobService service;

    SingleRestaurantController(YoloJobService service) {
        this.service = service;
    }

    @Operation(summary = "Start the restaurant's YOLO pipeline in the background",
            description = "202 with the job id and a Location; 200 with alreadyRunning:true when the restaurant's "
                    + "job is active (nothing is reset); 403 when the feature flag is off.")
    @PostMapping("/execute-single-restaurant")
    ResponseEntity<ExecuteAnswer> execute(Caller caller, @Valid @RequestBody ExecuteRequest request) {
        YoloJobService.ExecuteResult result = service.execute(caller, request);
        if (result.alreadyRunning()) {
            return ResponseEntity.ok(new ExecuteAnswer(true, result.jobId(), result.status(), true));
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED)
            .location(URI.create("/api/registration/jobs/" + result.jobId()))
            .body(new ExecuteAnswer(true, result.jobId(), result.status(), null));
    }

    @Operation(summary = "Run the latest failed or cancelled job again from where it stopped")
    @PostMapping("/resume-single-restaurant/{restaurantId}")
    ResponseEntity<YoloJobService.ResumeResult> resume(Caller caller, @PathVariable UUID restaurantId) {
        YoloJobService.ResumeResult result = service.resume(caller, restaurantId);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
            .location(URI.create("/api/registration/jobs/" + result.jobId()))
            .body(result);
    }

    /**
     * What execute answers: the job and its status; {@code alreadyRunning} only when the
     * restaurant's active job was answered untouched.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExecuteAnswer(boolean success, UUID jobId, String status, Boolean alreadyRunning) {
    }

}
