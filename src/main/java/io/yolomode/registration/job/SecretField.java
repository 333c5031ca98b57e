package io.yolomode.registration.job;

import java.util.List;
import java.util.Map;

import io.yolomode.registration.progress.ProgressDocument;
import io.yolomode.registration.progress.SubStepStatus;
import org.jspecify.annotations.Nullable;

/**
 * The passwords a form carries, where they sit in {@code execution_config}, and the
 * sub-steps whose calls send them. A password is kept (sealed) while one of those
 * sub-steps may still run, and erased from the stored form once all of them have
 * completed or been skipped: no resume or takeover can need it any more.
 */
public enum SecretField {

    ACCOUNT_PASSWORD("account", "password", List.of("cloudwaitressAccount", "restaurantRegistration")),

    USER_PASSWORD("onboarding", "userPassword", List.of("createOnboardingUser"));

    private static final String[] KEEP = new String[0];

    private final String section;

    private final String field;

    private final List<String> neededBy;

    SecretField(String section, String field, List<String> neededBy) {
        this.section = section;
        this.field = field;
        this.neededBy = neededBy;
    }

    /**
     * The field's name in the form, such as {@code account.password}; also what binds its
     * ciphertext.
     */
    public String path() {
        return section + "." + field;
    }

    /**
     * Whether no sub-step that sends this password can run again, given how the sub-steps
     * stand.
     */
    public boolean erasable(Map<String, SubStepStatus> statuses) {
        return neededBy.stream().allMatch(key -> statuses.get(key) != null && statuses.get(key).isDone());
    }

    /**
     * The JSONB path to remove from {@code execution_config} after the given document was
     * written: the field's path once it is erasable, else an empty path (which removes
     * nothing).
     */
    public String[] erasurePath(@Nullable ProgressDocument document) {
        if (document == null) {
            return KEEP;
        }
        Map<String, SubStepStatus> statuses = new java.util.HashMap<>();
        document.phases()
            .values()
            .forEach(phase -> phase.subSteps().forEach((key, progress) -> statuses.put(key, progress.status())));
        return erasable(statuses) ? new String[] { section, field } : KEEP;
    }

}
