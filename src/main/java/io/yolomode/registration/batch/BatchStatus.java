package io.yolomode.registration.batch;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.jspecify.annotations.Nullable;

/**
 * Status of a batch of registration runs, stored and shown in lower case.
 */
public enum BatchStatus {

    DRAFT("draft"), PENDING("pending"), IN_PROGRESS("in_progress"), COMPLETED("completed"), FAILED("failed"),
    CANCELLED("cancelled");

    private final String value;

    BatchStatus(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    @JsonCreator
    public static BatchStatus of(String value) {
        return Arrays.stream(values())
            .filter(status -> status.value.equals(value))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown batch status " + value));
    }

    @Converter(autoApply = true)
    static class JpaConverter implements AttributeConverter<BatchStatus, String> {

        @Override
        public @Nullable String convertToDatabaseColumn(@Nullable BatchStatus status) {
            return status == null ? null : status.value;
        }

        @Override
        public @Nullable BatchStatus convertToEntityAttribute(@Nullable String value) {
            return value == null ? null : of(value);
        }

    }

}
