package io.yolomode.registration.downstream;

import java.util.Map;
import java.util.UUID;

/**
 * One call of a sub-step: where it goes, what it carries, and the ids that make it idempotent and traceable.
 */
public record SubStepCall(UUID jobId, UUID organisationId, String subStepKey, String path,
        Map<String, Object> payload) {

    /** The same for every retry of the sub-step and after a crash, so the API can recognise a repeat. */
    public String idempotencyKey() {
        return jobId + ":" + subStepKey;
    }

    @Override
    public String toString() {
        return "SubStepCall[" + idempotencyKey() + " " + path + "]";
    }
}
