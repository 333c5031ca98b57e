package io.yolomode.registration.secrets;

import java.util.UUID;
import java.util.function.UnaryOperator;

import io.yolomode.registration.job.FormData;
import io.yolomode.registration.job.SecretField;
import io.yolomode.registration.security.RegistrationSecurityProperties;

import org.springframework.stereotype.Component;

/**
 * Seals the passwords of a form before it is stored and opens them for the run that sends
 * them. A stored password is {@code enc:v1:<keyId>:<...>} (see {@link DataKeys}), bound
 * to its job and field. A stored value without that prefix is a password written before
 * sealing existed: it is read as it is and sealed on the job's next execute or resume.
 * The service does not start without a data key.
 */
@Component
public class FormSecrets {

    private final DataKeys keys;

    FormSecrets(RegistrationSecurityProperties properties) {
        this.keys = DataKeys.of(properties.dataKey(), properties.oldDataKeys());
    }

    /**
     * The form as it is stored for the job: every password sealed, whatever it looks
     * like.
     */
    public FormData seal(UUID jobId, FormData form) {
        return map(form, (field, value) -> keys.seal(value, boundTo(jobId, field)));
    }

    /**
     * The form as a run sends it: every sealed password opened.
     * @throws DataKeys.SealedValueException when a password cannot be opened with the
     * configured keys
     */
    public FormData open(UUID jobId, FormData form) {
        return map(form, (field, value) -> DataKeys.isSealed(value) ? keys.open(value, boundTo(jobId, field)) : value);
    }

    /**
     * A stored form sealed again with the current key (older keys and passwords from
     * before sealing go); left as it is when it cannot be opened, so that the run reports
     * why.
     */
    public FormData reseal(UUID jobId, FormData stored) {
        try {
            return seal(jobId, open(jobId, stored));
        }
        catch (DataKeys.SealedValueException ex) {
            return stored;
        }
    }

    /**
     * The form without its passwords: for rows that keep a form but never send it (a
     * batch's shared form).
     */
    public static FormData withoutPasswords(FormData form) {
        return map(form, (field, value) -> null);
    }

    private static String boundTo(UUID jobId, SecretField field) {
        return jobId + "/" + field.path();
    }

    private interface FieldChange {

        String apply(SecretField field, String value);

    }

    private static FormData map(FormData form, FieldChange change) {
        if (form == null) {
            return null;
        }
        FormData.Account account = form.account();
        FormData.Onboarding onboarding = form.onboarding();
        UnaryOperator<String> accountPassword = value -> value == null ? null
                : change.apply(SecretField.ACCOUNT_PASSWORD, value);
        UnaryOperator<String> userPassword = value -> value == null ? null
                : change.apply(SecretField.USER_PASSWORD, value);
        return new FormData(
                new FormData.Account(account.registerNewUser(), account.email(),
                        accountPassword.apply(account.password()), account.phone(), account.other()),
                form.restaurant(), form.menu(), form.website(), form.payment(),
                new FormData.Onboarding(onboarding.createOnboardingUser(), onboarding.syncOnboardingRecord(),
                        onboarding.userName(), onboarding.userEmail(), userPassword.apply(onboarding.userPassword()),
                        onboarding.other()),
                form.other());
    }

}
