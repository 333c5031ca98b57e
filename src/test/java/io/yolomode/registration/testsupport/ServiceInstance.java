package io.yolomode.registration.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

import io.yolomode.registration.YoloRegistrationApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One more instance of the whole service in this JVM, on its own port, with the test
 * profile and the given database and settings: what a second (or third) instance in
 * production is, without a second process.
 */
public final class ServiceInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private ServiceInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static ServiceInstance start(TestDatabase.Coordinates database, Map<String, String> settings) {
        return start(database, settings, new Class<?>[0]);
    }

    /**
     * An instance with beans of the given classes on top of the application's own; a
     * {@code @Primary} bean among them replaces the application's bean of its type (the
     * pipeline table, say).
     */
    public static ServiceInstance start(TestDatabase.Coordinates database, Map<String, String> settings,
            Class<?>... extraBeans) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("spring.datasource.url", database.url());
        properties.put("spring.datasource.username", database.username());
        properties.put("spring.datasource.password", database.password());
        properties.put("registration.downstream.base-url", TestDownstream.baseUrl());
        properties.put("registration.downstream.service-key", TestDownstream.SERVICE_KEY);
        properties.putAll(settings);
        String[] arguments = properties.entrySet()
            .stream()
            .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
            .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(YoloRegistrationApplication.class)
            .sources(extraBeans)
            .profiles("test")
            .run(arguments);
        return new ServiceInstance(context);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public <T> T bean(String name, Class<T> type) {
        return context.getBean(name, type);
    }

    public ApiClient api() {
        return new ApiClient(port());
    }

    public boolean isRunning() {
        return context.isActive();
    }

    @Override
    public void close() {
        if (context.isActive()) {
            context.close();
        }
    }

}
