package io.yolomode.registration.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local profile's token secret and data key: random, made once per data folder, kept
 * beside it readable by the owner only, read again on the next start; and made only when
 * the embedded database runs.
 */
class LocalSecretsTest {

    @TempDir
    Path folder;

    @Test
    void theFirstStartMakesOwnerOnlySecretsBesideTheDataFolderAndTheNextReadsThem() throws Exception {
        Path data = folder.resolve("pgdata");
        StandardEnvironment first = localEnvironment(
                Map.of("registration.embedded-database.data-directory", data.toString()));
        new LocalSecrets().postProcessEnvironment(first, new SpringApplication());

        Path secretFile = folder.resolve("pgdata.jwt-secret");
        Path keyFile = folder.resolve("pgdata.data-key");
        String secret = first.getProperty("registration.security.jwt.secret");
        assertThat(secret).isEqualTo(Files.readString(secretFile, StandardCharsets.UTF_8));
        assertThat(secret.getBytes(StandardCharsets.UTF_8).length).isGreaterThanOrEqualTo(32);
        assertThat(first.getProperty("registration.security.data-key")).startsWith("local-1:")
            .isEqualTo(Files.readString(keyFile, StandardCharsets.UTF_8));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");

        StandardEnvironment second = localEnvironment(
                Map.of("registration.embedded-database.data-directory", data.toString()));
        new LocalSecrets().postProcessEnvironment(second, new SpringApplication());
        assertThat(second.getProperty("registration.security.jwt.secret")).isEqualTo(secret);

        StandardEnvironment otherFolder = localEnvironment(
                Map.of("registration.embedded-database.data-directory", folder.resolve("elsewhere").toString()));
        new LocalSecrets().postProcessEnvironment(otherFolder, new SpringApplication());
        assertThat(otherFolder.getProperty("registration.security.jwt.secret")).isNotEqualTo(secret);
    }

    @Test
    void withAnExternalDatabaseNothingIsMadeUp() {
        StandardEnvironment environment = localEnvironment(
                Map.of("registration.embedded-database.data-directory", folder.resolve("pgdata").toString(),
                        "spring.datasource.url", "jdbc:postgresql://db.example/registration"));
        new LocalSecrets().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("registration.security.jwt.secret")).isNull();
        assertThat(environment.getProperty("registration.security.data-key")).isNull();
        assertThat(folder).isEmptyDirectory();
    }

    @Test
    void aConfiguredSecretOrIssuerIsLeftAsItIs() {
        StandardEnvironment environment = localEnvironment(
                Map.of("registration.embedded-database.data-directory", folder.resolve("pgdata").toString(),
                        "spring.security.oauth2.resourceserver.jwt.issuer-uri", "https://identity.test/auth/v1",
                        "registration.security.data-key", "mine:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        new LocalSecrets().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("registration.security.jwt.secret")).isNull();
        assertThat(environment.getProperty("registration.security.data-key")).startsWith("mine:");
        assertThat(folder).isEmptyDirectory();
    }

    @Test
    void thePackagedLocalConfigurationCarriesNoSecret() throws Exception {
        String local = new String(new ClassPathResource("application-local.yml").getInputStream().readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(local).doesNotContainPattern("(?m)^\\s*secret:").doesNotContain("data-key:");
    }

    private static StandardEnvironment localEnvironment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.setDefaultProfiles("local");
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }

}
