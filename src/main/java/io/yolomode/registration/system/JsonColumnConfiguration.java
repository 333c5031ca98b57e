package io.yolomode.registration.system;

import java.lang.reflect.Type;

import org.hibernate.cfg.MappingSettings;
import org.hibernate.type.format.AbstractJsonFormatMapper;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * JSONB columns are read and written with the application's own Jackson mapper, so a
 * record has the same JSON shape in the database as in the API.
 */
@Configuration(proxyBeanMethods = false)
class JsonColumnConfiguration {

    @Bean
    HibernatePropertiesCustomizer jsonFormatMapper(JsonMapper jsonMapper) {
        return properties -> properties.put(MappingSettings.JSON_FORMAT_MAPPER, new JacksonJsonColumns(jsonMapper));
    }

    private static final class JacksonJsonColumns extends AbstractJsonFormatMapper {

        private final JsonMapper jsonMapper;

        JacksonJsonColumns(JsonMapper jsonMapper) {
            this.jsonMapper = jsonMapper;
        }

        @Override
        protected <T> T fromString(CharSequence json, Type type) {
            return jsonMapper.readValue(json.toString(), jsonMapper.constructType(type));
        }

        @Override
        protected <T> String toString(T value, Type type) {
            return jsonMapper.writerFor(jsonMapper.constructType(type)).writeValueAsString(value);
        }

    }

}
