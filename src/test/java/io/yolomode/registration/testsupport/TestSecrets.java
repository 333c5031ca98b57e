package io.yolomode.registration.testsupport;

/**
 * The data key of the test profile (application-test.yml), for instances started with
 * their own settings.
 */
public final class TestSecrets {

    public static final String DATA_KEY = "test-k1:oBbuvIKtMJOoJbHlH0Z/pBivHubOBvSwuM/Gchm/PcA=";

    private TestSecrets() {
    }

}
