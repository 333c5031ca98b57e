package io.yolomode.registration.security;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.StringUtils;

/**
 * Refuses to start, before anything else happens, when the service could not check a
 * token or could not seal the passwords it keeps, and says what to set. Runs after the
 * local profile has added its own secrets (only with the embedded database), so a bare
 * {@code java -jar} with just a database URL stops here.
 */
class RequiredSettings implements EnvironmentPostProcessor, Ordered {

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 20;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        List<String> missing = new ArrayList<>();
        if (!hasAny(environment, "registration.security.jwt.secret",
                "spring.security.oauth2.resourceserver.jwt.issuer-uri",
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri")) {
            missing.add(SecurityConfiguration.NO_WAY_TO_VERIFY);
        }
        if (!hasAny(environment, "registration.security.data-key")) {
            missing.add("No data key is configured: set REGISTRATION_SECURITY_DATA_KEY to "
                    + "<keyId>:<base64 of 32 random bytes>, for example k1:$(openssl rand -base64 32). It seals the "
                    + "owners' passwords that jobs keep until they have used them.");
        }
        if (!missing.isEmpty()) {
            throw new MissingSettingsException(missing);
        }
    }

    private static boolean hasAny(ConfigurableEnvironment environment, String... properties) {
        for (String property : properties) {
            if (StringUtils.hasText(environment.getProperty(property))) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the service needs before it can start.
     */
    static final class MissingSettingsException extends IllegalStateException {

        MissingSettingsException(List<String> missing) {
            super("yolo-registration cannot start. " + String.join(" ", missing));
        }

    }

}
