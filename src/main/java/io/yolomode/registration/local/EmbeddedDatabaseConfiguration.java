package io.yolomode.registration.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import lombok.extern.slf4j.Slf4j;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Starts a real PostgreSQL 17 from the binaries on the classpath before the DataSource
 * exists, keeps its data in {@code registration.embedded-database.data-directory} between
 * runs, and stops it when the context closes. The folder belongs to one service process
 * at a time ({@link DataFolderOwner}); a PostgreSQL that a killed process left behind on
 * it is stopped first ({@link OrphanedPostgres}).
 */
@Slf4j
@Profile("local")
@Conditional(EmbeddedDatabaseCondition.class)
@Configuration(proxyBeanMethods = false)
class EmbeddedDatabaseConfiguration {

    /**
     * This process's claim on the data folder, let go once PostgreSQL has stopped (it is
     * destroyed after it).
     */
    @Bean(destroyMethod = "release")
    DataFolderOwner dataFolderOwner(EmbeddedDatabaseProperties properties) {
        return DataFolderOwner.claim(properties.dataDirectory());
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseProperties properties, DataFolderOwner owner) {
        Path dataDirectory = properties.dataDirectory().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDirectory);
            OrphanedPostgres.stopIfRunning(dataDirectory, owner.previousOwner(), properties.orphanStopWait());
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(properties.port())
                .setPGStartupWait(properties.startupWait())
                .setServerConfig("max_connections", "200")
                .start();
            log.info("Embedded PostgreSQL is up on port {} with data in {}", postgres.getPort(), dataDirectory);
            return postgres;
        }
        catch (IllegalStateException | IOException ex) {
            throw new IllegalStateException(
                    "Could not start the embedded PostgreSQL in " + dataDirectory + ". Cause: " + ex.getMessage(), ex);
        }
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        return DataSourceBuilder.create()
            .type(HikariDataSource.class)
            .driverClassName("org.postgresql.Driver")
            .url(postgres.getJdbcUrl("postgres", "postgres"))
            .username("postgres")
            .password("")
            .build();
    }

}
