package io.yolomode.registration.local;

import java.util.Map;

import io.yolomode.registration.YoloRegistrationApplication;
import io.yolomode.registration.testsupport.TestDatabase;
import io.yolomode.registration.testsupport.TestSecrets;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a bare {@code java -jar} does outside the embedded database: it refuses to start
 * and says what to set, and once given its secrets it runs without the local conveniences
 * (printed tokens, simulator, demo data).
 */
class StartupRefusalTest {

    @Test
    void theLocalProfileWithAnExternalDatabaseAndNoSecretRefusesAndNamesWhatToSet() {
        assertThatThrownBy(() -> start(null, "--spring.datasource.url=jdbc:postgresql://127.0.0.1:9/nowhere"))
            .hasMessageContaining("REGISTRATION_SECURITY_JWT_SECRET")
            .hasMessageContaining("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI")
            .hasMessageContaining("REGISTRATION_SECURITY_DATA_KEY");
    }

    @Test
    void prodWithoutADataKeyRefusesAndNamesIt() {
        assertThatThrownBy(() -> start("prod", "--spring.datasource.url=jdbc:postgresql://127.0.0.1:9/nowhere",
                "--registration.security.jwt.secret=" + TestTokens.SECRET))
            .hasMessageContaining("REGISTRATION_SECURITY_DATA_KEY")
            .hasMessageNotContaining("REGISTRATION_SECURITY_JWT_SECRET");
    }

    @Test
    void theLocalProfileWithAnExternalDatabaseRunsWithoutItsConveniences() {
        TestDatabase.Coordinates database = TestDatabase.coordinates();
        try (ConfigurableApplicationContext context = start(null, "--server.port=0",
                "--spring.datasource.url=" + database.url(), "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--registration.security.jwt.secret=" + TestTokens.SECRET,
                "--registration.security.data-key=" + TestSecrets.DATA_KEY, "--registration.runner.enabled=false")) {
            assertThat(context.getEnvironment().getActiveProfiles()).isEmpty();
            assertThat(context.getEnvironment().getDefaultProfiles()).containsExactly("local");
            Map<String, ?> local = Map.of("simulator", context.getBeanNamesForType(SimulatedRegistrationApi.class),
                    "demo data", context.getBeanNamesForType(DemoData.class), "banner",
                    context.getBeanNamesForType(LocalReadyBanner.class));
            local.forEach((what, beans) -> assertThat((String[]) beans).as(what).isEmpty());
        }
    }

    private static ConfigurableApplicationContext start(String profile, String... arguments) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(YoloRegistrationApplication.class);
        if (profile != null) {
            builder.profiles(profile);
        }
        return builder.run(arguments);
    }

}
