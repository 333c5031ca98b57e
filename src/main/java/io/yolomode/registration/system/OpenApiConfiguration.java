package io.yolomode.registration.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /v3/api-docs} (Swagger UI at
 * {@code /swagger-ui.html}): every endpoint needs the bearer token, so "Try it out" works
 * with the token the local profile prints.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String BEARER = "bearer-jwt";

    @Bean
    OpenAPI registrationOpenApi() {
        return new OpenAPI()
            .info(new Info().title("yolo-registration")
                .description("Runs a restaurant's YOLO-mode registration pipeline in the background: "
                        + "execute once, then poll progress or stream it. Errors are RFC 9457 problem "
                        + "documents with success:false and error.")
                .version("v1"))
            .components(new Components().addSecuritySchemes(BEARER,
                    new SecurityScheme().type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("JWT")
                        .description("HS256 token of the identity provider; the claim organisation_id names "
                                + "the caller's organisation")))
            .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

}
