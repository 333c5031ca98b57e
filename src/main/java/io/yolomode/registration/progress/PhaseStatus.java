package io.yolomode.registration.progress;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Status of one phase inside {@code sub_step_progress}, always derived from its sub-steps
 * by {@link #of}.
 */
public enum PhaseStatus {

    PENDING("pending"), IN_PROGRESS("in_progress"), COMPLETED("completed"), FAILED("failed"), CANCELLED("cancelled");

    private final String value;

    PhaseStatus(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    @JsonCreator
    public static PhaseStatus fromValue(String value) {
        return Arrays.stream(values())
            .filter(status -> status.value.equals(value))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown phase status " + value));
    }

    /**
     * All completed or skipped: completed; anything running: in_progress; nothing running
     * and a failure, or a sub-step blocked by a failure: failed; a cancellation and
     * nothing running: cancelled; all pending: pending; otherwise under way: in_progress.
     */
    public static PhaseStatus of(List<SubStepProgress> subSteps) {
        List<SubStepStatus> statuses = subSteps.stream().map(SubStepProgress::status).toList();
        if (statuses.stream().allMatch(SubStepStatus::isDone)) {
            return COMPLETED;
        }
        if (statuses.stream().anyMatch(SubStepStatus::isRunning)) {
            return IN_PROGRESS;
        }
        if (statuses.contains(SubStepStatus.FAILED)
                || subSteps.stream().anyMatch(progress -> progress.blockedBy() != null)) {
            return FAILED;
        }
        if (statuses.contains(SubStepStatus.CANCELLED)) {
            return CANCELLED;
        }
        if (statuses.stream().allMatch(status -> status == SubStepStatus.PENDING)) {
            return PENDING;
        }
        return IN_PROGRESS;
    }

}
