package io.yolomode.registration.job;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.jspecify.annotations.Nullable;

/**
 * Status of a registration job, stored and shown in lower case.
 */
public enum JobStatus {

    PENDING("pending"), IN_PROGRESS("in_progress"), COMPLETED("completed"), FAILED("failed"), CANCELLED("cancelled");

    /** The statuses the one-active-single-job index covers. */
    public static final Set<JobStatus> ACTIVE = EnumSet.of(PENDING, IN_PROGRESS);

    private final String value;

    JobStatus(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public boolean isActive() {
        return ACTIVE.contains(this);
    }

    public boolean isTerminal() {
        return !isActive();
    }

    @JsonCreator
    public static JobStatus of(String value) {
        return Arrays.stream(values())
            .filter(status -> status.value.equals(value))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown job status " + value));
    }

    @Converter(autoApply = true)
    static class JpaConverter implements AttributeConverter<JobStatus, String> {

        @Override
        public @Nullable String convertToDatabaseColumn(@Nullable JobStatus status) {
            return status == null ? null : status.value;
        }

        @Override
        public @Nullable JobStatus convertToEntityAttribute(@Nullable String value) {
            return value == null ? null : of(value);
        }

    }

}
