package io.yolomode.registration.job;

import io.yolomode.registration.progress.SubStepProgress;

/**
 * What a write adds to a job's history.
 */
public record JobEvent(String type, String subStep, String status, Integer attempt, String error,
        String idempotencyKey) {

    public static final String CREATED = "job_created";

    public static final String QUEUED = "job_queued";

    public static final String TAKEN_OVER = "job_taken_over";

    public static final String SUB_STEP = "sub_step";

    public static final String FINISHED = "job_finished";

    public static JobEvent subStep(String key, SubStepProgress progress) {
        Integer attempt = progress.attempt() != null ? progress.attempt() : progress.attempts();
        String error = progress.error() != null ? progress.error() : progress.previousError();
        return new JobEvent(SUB_STEP, key, progress.status().value(), attempt, error, progress.idempotencyKey());
    }
}
