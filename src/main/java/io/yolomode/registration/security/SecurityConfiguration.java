package io.yolomode.registration.security;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.DispatcherType;

import io.yolomode.registration.system.ApiProblems;

import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.util.StringUtils;

/**
 * The filter chain: {@code /api/**} needs a bearer JWT that names an organisation; health, info, the API
 * description and the local simulator are open; the rest of actuator needs role {@code ops} or
 * {@code super_admin}. Every refusal is a problem document.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String ORGANISATION_MEMBER = "ORGANISATION_MEMBER";

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, ApiProblems problems,
            RegistrationSecurityProperties properties) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/actuator/**").hasAnyRole(Caller.OPS, Caller.SUPER_ADMIN)
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers("/simulator/**").permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers("/api/**").hasAuthority(ORGANISATION_MEMBER)
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenResolver(new BearerTokens())
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(authenticationConverter(properties)))
                        .authenticationEntryPoint((request, response, ex) -> problems.write(request, response,
                                HttpStatus.UNAUTHORIZED, unauthorizedMessage(ex)))
                        .accessDeniedHandler((request, response, ex) -> problems.write(request, response,
                                HttpStatus.FORBIDDEN, "The token does not allow this request")))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, ex) -> problems.write(request, response,
                                HttpStatus.UNAUTHORIZED, unauthorizedMessage(ex)))
                        .accessDeniedHandler((request, response, ex) -> problems.write(request, response,
                                HttpStatus.FORBIDDEN, forbiddenMessage(request.getRequestURI()))));
        return http.build();
    }

    /** Spring Security's strict firewall, with its rule for header texts checked without a regular expression. */
    @Bean
    StrictHttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(SecurityConfiguration::isAssignedAndNotControl);
        firewall.setAllowedHeaderValues(SecurityConfiguration::isAssignedAndNotControl);
        return firewall;
    }

    /** The firewall's refusals as problem documents (those raised while the filter chain runs). */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ApiProblems problems) {
        return (request, response, ex) -> problems.write(request, response, HttpStatus.BAD_REQUEST,
                ApiProblems.refusedRequestMessage(ex));
    }

    /**
     * The strict firewall's rule for header names and values (only assigned characters, no control characters)
     * without its regular expression: every request's Authorization header is a few hundred characters.
     */
    static boolean isAssignedAndNotControl(String value) {
        for (int index = 0; index < value.length();) {
            int codePoint = value.codePointAt(index);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || type == Character.CONTROL) {
                return false;
            }
            index += Character.charCount(codePoint);
        }
        return true;
    }

    /**
     * One decoder for both ways of signing: the HS256 shared secret when it is set, else the issuer's keys. With
     * neither the service does not start, since it could not check a single token.
     */
    @Bean
    JwtDecoder jwtDecoder(RegistrationSecurityProperties properties, OAuth2ResourceServerProperties resourceServer) {
        JwtDecoder verifier = verifier(properties, resourceServer);
        int capacity = properties.jwt().verifiedTokens();
        return capacity > 0 ? new VerifiedTokens(verifier, capacity, Clock.systemUTC()) : verifier;
    }

    private static JwtDecoder verifier(RegistrationSecurityProperties properties,
            OAuth2ResourceServerProperties resourceServer) {
        String secret = properties.jwt().secret();
        if (StringUtils.hasText(secret)) {
            byte[] key = secret.getBytes(StandardCharsets.UTF_8);
            if (key.length < 32) {
                throw new IllegalStateException(
                        "registration.security.jwt.secret must be at least 32 bytes for HS256");
            }
            return NimbusJwtDecoder.withSecretKey(new SecretKeySpec(key, "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256)
                    .build();
        }
        OAuth2ResourceServerProperties.Jwt jwt = resourceServer.getJwt();
        if (StringUtils.hasText(jwt.getJwkSetUri())) {
            return NimbusJwtDecoder.withJwkSetUri(jwt.getJwkSetUri()).build();
        }
        if (StringUtils.hasText(jwt.getIssuerUri())) {
            return JwtDecoders.fromIssuerLocation(jwt.getIssuerUri());
        }
        throw new IllegalStateException("No way to verify bearer tokens is configured: set "
                + "REGISTRATION_SECURITY_JWT_SECRET (HS256 shared secret, at least 32 bytes) or "
                + "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI (the issuer's JWKS)");
    }

    private static Converter<Jwt, AbstractAuthenticationToken> authenticationConverter(
            RegistrationSecurityProperties properties) {
        return jwt -> {
            List<GrantedAuthority> authorities = new ArrayList<>();
            CallerTokens.rolesOf(jwt).forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
            if (CallerTokens.organisationOf(jwt, properties.organisationClaim()).isPresent()) {
                authorities.add(new SimpleGrantedAuthority(ORGANISATION_MEMBER));
            }
            return new JwtAuthenticationToken(jwt, authorities, jwt.getSubject());
        };
    }

    private static String unauthorizedMessage(Exception ex) {
        String message = ex.getMessage();
        if (message != null && message.contains("expired")) {
            return "The bearer token has expired";
        }
        if (ex instanceof org.springframework.security.oauth2.server.resource.InvalidBearerTokenException) {
            return "The bearer token is not valid";
        }
        return "A valid bearer token is required";
    }

    private static String forbiddenMessage(String path) {
        return path.startsWith("/api/")
                ? "The token names no organisation"
                : "The token does not allow this request";
    }
}
