package io.yolomode.registration.queue;

import java.util.UUID;

/**
 * A runner's hold on a job: the owner and the attempt that claimed it. Every write of the
 * run carries it, and a write whose lease is no longer the job's changes nothing.
 */
public record JobLease(UUID jobId, String owner, int attempt) {
}
