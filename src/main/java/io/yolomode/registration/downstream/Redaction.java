package io.yolomode.registration.downstream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Keeps a call's passwords out of what is stored and logged about its answer: a
 * registration API that echoes the password it was sent (in a result field or an error
 * message) gets {@code ***} in its place, and any answer field whose name contains
 * "password" is masked whatever it holds.
 */
final class Redaction {

    static final String MASK = "***";

    private final List<String> secrets;

    private Redaction(List<String> secrets) {
        this.secrets = secrets;
    }

    /**
     * The passwords the call's payload carries: the values of its fields named like a
     * password.
     */
    static Redaction of(Map<String, Object> payload) {
        List<String> secrets = new ArrayList<>();
        payload.forEach((name, value) -> {
            if (isPasswordName(name) && value instanceof String text && !text.isEmpty()) {
                secrets.add(text);
            }
        });
        return new Redaction(secrets);
    }

    @Nullable String text(@Nullable String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }

    CallOutcome outcome(CallOutcome outcome) {
        if (outcome instanceof CallOutcome.Succeeded succeeded) {
            return new CallOutcome.Succeeded(map(succeeded.body()));
        }
        if (outcome instanceof CallOutcome.Failed failed) {
            return new CallOutcome.Failed(text(failed.error()));
        }
        CallOutcome.Retryable retryable = (CallOutcome.Retryable) outcome;
        return new CallOutcome.Retryable(text(retryable.error()), retryable.retryAfter());
    }

    private Map<String, Object> map(Map<String, Object> body) {
        Map<String, Object> masked = new LinkedHashMap<>();
        body.forEach((name, value) -> masked.put(name, isPasswordName(name) && value != null ? MASK : value(value)));
        return masked;
    }

    @SuppressWarnings("unchecked")
    private Object value(Object value) {
        if (value instanceof String text) {
            return text(text);
        }
        if (value instanceof Map<?, ?> nested) {
            return map((Map<String, Object>) nested);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(this::value).toList();
        }
        return value;
    }

    private static boolean isPasswordName(String name) {
        return name.toLowerCase(Locale.ROOT).contains("password") || Set.of("secret", "pwd").contains(name);
    }

}
