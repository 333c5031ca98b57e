package io.yolomode.registration.local;

import java.nio.file.Path;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Claims the embedded database's data folder as soon as the configuration is known,
 * before any bean exists, so that a second copy of the service on the same folder refuses
 * within a second or two and names the live process (instead of waiting for a PostgreSQL
 * that cannot start). Registered in {@code META-INF/spring.factories}.
 */
class EmbeddedDatabaseGuard implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        if (embeddedDatabaseRuns(environment)) {
            DataFolderOwner.claim(
                    Path.of(environment.getProperty("registration.embedded-database.data-directory", ".local/pgdata")));
        }
    }

    private static boolean embeddedDatabaseRuns(ConfigurableEnvironment environment) {
        return environment.matchesProfiles("local") && EmbeddedDatabaseCondition.isOn(environment);
    }

    @Override
    public int getOrder() {
        // After the logging system is set up, so that the refusal is logged like any
        // start failure.
        return Ordered.LOWEST_PRECEDENCE;
    }

}
