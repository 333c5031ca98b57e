package io.yolomode.registration.progress;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Status of one sub-step inside {@code sub_step_progress}.
 */
public enum SubStepStatus {

    PENDING("pending"), IN_PROGRESS("in_progress"), RETRYING("retrying"), COMPLETED("completed"), FAILED("failed"),
    SKIPPED("skipped"), CANCELLED("cancelled");

    private final String value;

    SubStepStatus(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /**
     * Completed or skipped: a requirement that counts as met, and work that a resume
     * keeps.
     */
    public boolean isDone() {
        return this == COMPLETED || this == SKIPPED;
    }

    public boolean isRunning() {
        return this == IN_PROGRESS || this == RETRYING;
    }

    @JsonCreator
    public static SubStepStatus of(String value) {
        return Arrays.stream(values())
            .filter(status -> status.value.equals(value))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown sub-step status " + value));
    }

}
