package io.yolomode.registration.single;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.security.Caller;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dialog's endpoints: execute once, then poll progress; resume after a failure.
 */
@RestController
@RequestMapping("/api/registration")
class SingleRestaurantController {

    private final YoloJobService service;

    SingleRestaurantController(YoloJobService service) {
        this.service = service;
    }

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

    @GetMapping("/single-restaurant-progress/{restaurantId}")
    Object progress(Caller caller, @PathVariable UUID restaurantId) {
        return service.progressOfRestaurant(caller, restaurantId);
    }

    @PostMapping("/resume-single-restaurant/{restaurantId}")
    ResponseEntity<YoloJobService.ResumeResult> resume(Caller caller, @PathVariable UUID restaurantId) {
        YoloJobService.ResumeResult result = service.resume(caller, restaurantId);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/api/registration/jobs/" + result.jobId()))
                .body(result);
    }
}
