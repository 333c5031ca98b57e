package io.yolomode.registration.local;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The embedded database runs unless it is switched off or an external database URL is
 * configured ({@code SPRING_DATASOURCE_URL} wins over the local default). The local
 * conveniences (printed tokens, the simulated registration API, demo data, the generated
 * secrets) run only with it.
 */
class EmbeddedDatabaseCondition implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return isOn(context.getEnvironment());
    }

    static boolean isOn(Environment environment) {
        boolean enabled = environment.getProperty("registration.embedded-database.enabled", Boolean.class, true);
        return enabled && !StringUtils.hasText(environment.getProperty("spring.datasource.url"));
    }

}
