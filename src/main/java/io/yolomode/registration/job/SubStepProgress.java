package io.yolomode.registration.job;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One sub-step's entry in {@code sub_step_progress}: times are epoch milliseconds; {@code attempt} is the call
 * under way, {@code attempts} the calls made when it ended; {@code result} is the downstream answer, bounded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubStepProgress(
        SubStepStatus status,
        @JsonProperty("started_at") Long startedAt,
        @JsonProperty("completed_at") Long completedAt,
        Integer attempt,
        Integer attempts,
        @JsonProperty("previous_error") String previousError,
        String error,
        String reason,
        @JsonProperty("blocked_by") List<String> blockedBy,
        Object result) {

    public static SubStepProgress pending() {
        return new SubStepProgress(SubStepStatus.PENDING, null, null, null, null, null, null, null, null, null);
    }
}
