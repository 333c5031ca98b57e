package io.yolomode.registration.testsupport;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points a test application context at the JVM's one {@link TestDatabase} and its
 * {@link TestDownstream}.
 */
public class TestDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestDatabase.Coordinates database = TestDatabase.coordinates();
        TestPropertyValues
            .of("spring.datasource.url=" + database.url(), "spring.datasource.username=" + database.username(),
                    "spring.datasource.password=" + database.password(),
                    "registration.downstream.base-url=" + TestDownstream.baseUrl(),
                    "registration.downstream.service-key=" + TestDownstream.SERVICE_KEY)
            .applyTo(context.getEnvironment());
    }

}
