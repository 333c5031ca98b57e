package io.yolomode.registration.batch;

import java.net.URI;
import java.util.UUID;

import io.yolomode.registration.security.Caller;
import io.yolomode.registration.system.Refusal;
import jakarta.validation.Valid;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Batch YOLO runs: create, start, cancel, list, look at one, and its progress.
 */
@RestController
@RequestMapping("/api/registration-batches")
class BatchController {

    private static final int MAX_PAGE_SIZE = 100;

    private final BatchService service;

    BatchController(BatchService service) {
        this.service = service;
    }

    @PostMapping
    ResponseEntity<BatchRequests.Detail> create(Caller caller, @Valid @RequestBody BatchRequests.CreateBatch request) {
        BatchRequests.Detail created = service.create(caller, request);
        return ResponseEntity.created(URI.create("/api/registration-batches/" + created.batchJob().id())).body(created);
    }

    @PostMapping("/{batchId}/start")
    BatchRequests.Detail start(Caller caller, @PathVariable UUID batchId) {
        return service.start(caller, batchId);
    }

    @PostMapping("/{batchId}/cancel")
    ResponseEntity<BatchRequests.CancelAnswer> cancel(Caller caller, @PathVariable UUID batchId) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(service.cancel(caller, batchId));
    }

    @GetMapping
    BatchRequests.Page list(Caller caller, @RequestParam(required = false) @Nullable String status,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw Refusal.invalid("page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE);
        }
        BatchStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = BatchStatus.of(status);
            }
            catch (IllegalArgumentException ex) {
                throw Refusal.invalid("status must be one of draft, pending, in_progress, completed, "
                        + "failed, cancelled; got '" + status + "'");
            }
        }
        return service.list(caller, wanted, page, size);
    }

    @GetMapping("/{batchId}")
    BatchRequests.Detail detail(Caller caller, @PathVariable UUID batchId) {
        return service.detail(caller, batchId);
    }

    @GetMapping("/{batchId}/progress")
    BatchRequests.Progress progress(Caller caller, @PathVariable UUID batchId) {
        return service.progress(caller, batchId);
    }

}
