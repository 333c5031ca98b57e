package io.yolomode.registration.downstream;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * One call of a sub-step: where it goes, what it carries, the ids that make it idempotent
 * and traceable, and the deadline of its whole answer (the sub-step row's timeout).
 */
public record SubStepCall(UUID jobId, UUID organisationId, String subStepKey, int generation, String path,
        Map<String, Object> payload, Duration timeout) {

    /**
     * The same for every retry of the sub-step and after a crash, so the API can
     * recognise a repeat; a new generation (a run again after the sub-step ended failed
     * or cancelled, or a restart) gets a new one.
     */
    public String idempotencyKey() {
        return idempotencyKey(jobId, subStepKey, generation);
    }

    /**
     * {@code jobId:subStepKey} for the first generation (as before generations existed),
     * then {@code :n}.
     */
    public static String idempotencyKey(UUID jobId, String subStepKey, int generation) {
        return generation <= 1 ? jobId + ":" + subStepKey : jobId + ":" + subStepKey + ":" + generation;
    }

    @Override
    public String toString() {
        return "SubStepCall[" + idempotencyKey() + " " + path + "]";
    }
}
