package io.yolomode.registration.secrets;

import java.util.List;
import java.util.UUID;

import io.yolomode.registration.job.FormData;
import io.yolomode.registration.security.RegistrationSecurityProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sealing without Spring: rotation (old keys still open, new values use the current key),
 * binding to the job and field, and clear refusals for missing or malformed keys.
 */
class DataKeysTest {

    private static final String OLD = DataKeys.generate("k1");

    private static final String NEW = DataKeys.generate("k2");

    private final UUID job = UUID.randomUUID();

    @Test
    void aValueSealedWithAnOldKeyStillOpensAndIsResealedWithTheCurrentOne() {
        FormData sealedWithOld = secrets(OLD).seal(job, form("owner-pass", "user-pass"));
        assertThat(sealedWithOld.account().password()).startsWith("enc:v1:k1:").doesNotContain("owner-pass");

        FormSecrets rotated = secrets(NEW, OLD);
        assertThat(rotated.open(job, sealedWithOld).account().password()).isEqualTo("owner-pass");
        FormData resealed = rotated.reseal(job, sealedWithOld);
        assertThat(resealed.account().password()).startsWith("enc:v1:k2:");
        assertThat(resealed.onboarding().userPassword()).startsWith("enc:v1:k2:");
        assertThat(secrets(NEW).open(job, resealed).onboarding().userPassword()).isEqualTo("user-pass");
    }

    @Test
    void oneKeyIdNamingTwoDifferentKeysRefusesToStartWhileARepeatOfTheSameKeyIsFine() {
        String otherK1 = DataKeys.generate("k1");
        assertThatThrownBy(() -> DataKeys.of(OLD, List.of(otherK1))).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("'k1'")
            .hasMessageContaining("other bytes");
        assertThat(DataKeys.of(OLD, List.of(OLD, NEW))).isNotNull();
    }

    @Test
    void aValueSealedWithAKeyNoLongerConfiguredSaysWhichKeyIsMissing() {
        FormData sealedWithOld = secrets(OLD).seal(job, form("owner-pass", null));
        assertThatThrownBy(() -> secrets(NEW).open(job, sealedWithOld))
            .isInstanceOf(DataKeys.SealedValueException.class)
            .hasMessageContaining("'k1'")
            .hasMessageContaining("registration.security.old-data-keys");
    }

    @Test
    void aSealedValueCopiedToAnotherJobOrFieldDoesNotOpen() {
        FormSecrets secrets = secrets(NEW);
        FormData sealed = secrets.seal(job, form("owner-pass", null));
        assertThatThrownBy(() -> secrets.open(UUID.randomUUID(), sealed))
            .isInstanceOf(DataKeys.SealedValueException.class);
        FormData moved = form(null, sealed.account().password());
        assertThatThrownBy(() -> secrets.open(job, moved)).isInstanceOf(DataKeys.SealedValueException.class);
    }

    @Test
    void aPasswordStoredBeforeSealingIsReadAsItIsAndSealedWhenTheJobIsQueuedAgain() {
        FormSecrets secrets = secrets(NEW);
        FormData legacy = form("plain-old", "plain-user");
        assertThat(secrets.open(job, legacy).account().password()).isEqualTo("plain-old");
        FormData resealed = secrets.reseal(job, legacy);
        assertThat(resealed.account().password()).startsWith("enc:v1:k2:");
        assertThat(secrets.open(job, resealed).account().password()).isEqualTo("plain-old");
    }

    @Test
    void withoutADataKeyTheServiceRefusesToStartAndSaysWhatToSet() {
        assertThatThrownBy(() -> secrets(null)).hasMessageContaining("REGISTRATION_SECURITY_DATA_KEY");
        assertThatThrownBy(() -> secrets("k1:c2hvcnQ=")).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> secrets("no key id")).hasMessageContaining("<keyId>:");
    }

    private static FormSecrets secrets(String current, String... older) {
        return new FormSecrets(
                new RegistrationSecurityProperties(null, "organisation_id", null, current, List.of(older)));
    }

    private static FormData form(String password, String userPassword) {
        return new FormData(new FormData.Account(null, "o@x.test", password, null, null), null, null, null, null,
                new FormData.Onboarding(true, null, "O", "o@x.test", userPassword, null), null);
    }

}
