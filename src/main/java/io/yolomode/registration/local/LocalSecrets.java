package io.yolomode.registration.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.yolomode.registration.secrets.DataKeys;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * The local profile's secrets: when it runs the embedded database and no token secret (or
 * issuer) or data key is configured, it uses a random one made once for the data folder
 * and kept beside it, readable by its owner only ({@code .local/pgdata.jwt-secret} and
 * {@code .local/pgdata.data-key} for the default folder). Nothing in the code or the
 * packaged configuration is a usable secret, and with an external database nothing is
 * made up: the service then needs them configured (see
 * {@code security.RequiredSettings}).
 */
class LocalSecrets implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE = "localSecrets";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 10;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.matchesProfiles("local") || !EmbeddedDatabaseCondition.isOn(environment)) {
            return;
        }
        Path dataDirectory = Path
            .of(environment.getProperty("registration.embedded-database.data-directory", ".local/pgdata"))
            .toAbsolutePath()
            .normalize();
        Map<String, Object> secrets = new LinkedHashMap<>();
        if (!hasAny(environment, "registration.security.jwt.secret",
                "spring.security.oauth2.resourceserver.jwt.issuer-uri",
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri")) {
            secrets.put("registration.security.jwt.secret",
                    readOrCreate(beside(dataDirectory, "jwt-secret"), LocalSecrets::randomSecret));
        }
        if (!hasAny(environment, "registration.security.data-key")) {
            secrets.put("registration.security.data-key",
                    readOrCreate(beside(dataDirectory, "data-key"), () -> DataKeys.generate("local-1")));
        }
        if (!secrets.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, secrets));
        }
    }

    static Path beside(Path dataDirectory, String what) {
        return dataDirectory.resolveSibling(dataDirectory.getFileName() + "." + what);
    }

    /**
     * The file's secret, or a new one written to it, owner-only, when it does not exist
     * yet. Of two instances starting at once on one folder, the second reads the first
     * one's file.
     */
    static String readOrCreate(Path file, Supplier<String> generator) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Path draft = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".new");
                try {
                    ownerOnly(draft);
                    Files.writeString(draft, generator.get(), StandardCharsets.UTF_8);
                    Files.move(draft, file);
                }
                catch (FileAlreadyExistsException lostTheRace) {
                    // Another instance wrote it first; use its secret.
                }
                finally {
                    Files.deleteIfExists(draft);
                }
            }
            ownerOnly(file);
            String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (secret.isEmpty()) {
                throw new IllegalStateException(file + " is empty; delete it to have a new secret made");
            }
            return secret;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not read or create the local secret " + file, ex);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
        else {
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
            file.toFile().setWritable(false, false);
            file.toFile().setWritable(true, true);
        }
    }

    private static String randomSecret() {
        byte[] secret = new byte[48];
        new SecureRandom().nextBytes(secret);
        return Base64.getEncoder().encodeToString(secret);
    }

    private static boolean hasAny(ConfigurableEnvironment environment, String... properties) {
        for (String property : properties) {
            if (StringUtils.hasText(environment.getProperty(property))) {
                return true;
            }
        }
        return false;
    }

}
