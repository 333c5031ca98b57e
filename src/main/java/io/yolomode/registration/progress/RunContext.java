package io.yolomode.registration.progress;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * What earlier sub-steps hand to later ones within a run, stored as the document's
 * {@code context} object: each value under the name its sub-step gives it
 * (codeGeneration's {@code codeInjectionId}, {@code generatedAt}, {@code filePaths};
 * {@code onboardingUserCreated}; {@code menuImportSucceeded}). A new sub-step adds its
 * own names without touching the others'. Immutable; a name without a value is left out,
 * as it was stored before.
 */
public final class RunContext {

    private static final RunContext EMPTY = new RunContext(Map.of());

    private final Map<String, Object> values;

    private RunContext(Map<String, Object> values) {
        this.values = values;
    }

    public static RunContext empty() {
        return EMPTY;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RunContext of(@Nullable Map<String, @Nullable Object> values) {
        if (values == null || values.isEmpty()) {
            return EMPTY;
        }
        Map<String, Object> present = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (value != null) {
                present.put(name, value);
            }
        });
        return new RunContext(Collections.unmodifiableMap(present));
    }

    /** The context with the value under the name; a null value takes the name out. */
    public RunContext with(String name, @Nullable Object value) {
        Map<String, Object> next = new LinkedHashMap<>(values);
        if (value == null) {
            next.remove(name);
        }
        else {
            next.put(name, value);
        }
        return new RunContext(Collections.unmodifiableMap(next));
    }

    public @Nullable Object get(String name) {
        return values.get(name);
    }

    /** The value as text, or null when there is none. */
    public @Nullable String text(String name) {
        Object value = values.get(name);
        return value == null ? null : value.toString();
    }

    /** Whether the value is {@code true}. */
    public boolean isTrue(String name) {
        return Boolean.TRUE.equals(values.get(name));
    }

    @JsonValue
    public Map<String, Object> values() {
        return values;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof RunContext context && values.equals(context.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    @Override
    public String toString() {
        return "RunContext" + values;
    }

}
