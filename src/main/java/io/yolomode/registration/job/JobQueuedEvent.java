package io.yolomode.registration.job;

import java.util.UUID;

/**
 * Published when a job becomes runnable; the runner claims after the transaction commits.
 */
public record JobQueuedEvent(UUID jobId) {
}
