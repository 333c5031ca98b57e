package io.yolomode.registration.security;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;

import io.yolomode.registration.system.ApiProblems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.util.StringUtils;

/**
 * The filter chain: {@code /api/**} needs a bearer JWT that names an organisation;
 * health, info, the API description, the console's static pages and the local simulator
 * are open; the rest of actuator needs role {@code ops} or {@code super_admin}. Every
 * refusal is a problem document. The console's pages carry a Content-Security-Policy that
 * allows only the service's own scripts, styles and API.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /**
     * The issuer's key set is fetched again on the next request; a few seconds lets a
     * blip pass.
     */
    private static final long TOKEN_CHECK_RETRY_AFTER_SECONDS = 5;

    static final String ORGANISATION_MEMBER = "ORGANISATION_MEMBER";

    static final String NO_WAY_TO_VERIFY = "No way to verify bearer tokens is configured: set "
            + "REGISTRATION_SECURITY_JWT_SECRET (HS256 shared secret, at least 32 bytes) or "
            + "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI (the issuer, whose JWKS signs the tokens). "
            + "The local profile makes its own secret only when it runs the embedded database.";

    /**
     * The console's pages: the page at {@code /} and its files; they hold no data, every
     * data call is the API's.
     */
    static final String[] CONSOLE_PAGES = { "/", "/index.html", "/console/**" };

    /**
     * No inline script or style, nothing from another origin (no CDN: the console works
     * offline), never framed; the console reads the API and the event stream of its own
     * origin only.
     */
    static final String CONSOLE_CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, ApiProblems problems,
            RegistrationSecurityProperties properties) throws Exception {
        http.csrf(csrf -> csrf.disable())
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache(cache -> cache.disable())
            .authorizeHttpRequests(
                    requests -> requests.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
                        .permitAll()
                        .requestMatchers("/actuator/**")
                        .hasAnyRole(Caller.OPS, Caller.SUPER_ADMIN)
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers("/simulator/**")
                        .permitAll()
                        .requestMatchers(HttpMethod.GET, CONSOLE_PAGES)
                        .permitAll()
                        .requestMatchers("/error")
                        .permitAll()
                        .requestMatchers("/api/**")
                        .hasAuthority(ORGANISATION_MEMBER)
                        .anyRequest()
                        .authenticated())
            .headers(headers -> headers.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(SecurityConfiguration::isConsolePage,
                        new ContentSecurityPolicyHeaderWriter(CONSOLE_CONTENT_SECURITY_POLICY))))
            .oauth2ResourceServer(resourceServer -> resourceServer.bearerTokenResolver(new BearerTokens())
                .jwt(jwt -> jwt.jwtAuthenticationConverter(authenticationConverter(properties)))
                .authenticationEntryPoint((request, response, ex) -> problems.write(request, response,
                        HttpStatus.UNAUTHORIZED, unauthorizedMessage(ex)))
                .withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                    @Override
                    public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                        filter.setAuthenticationFailureHandler(tokenCheckFailures(problems));
                        return filter;
                    }
                })
                .accessDeniedHandler((request, response, ex) -> problems.write(request, response, HttpStatus.FORBIDDEN,
                        "The token does not allow this request")))
            .exceptionHandling(exceptions -> exceptions
                .authenticationEntryPoint((request, response, ex) -> problems.write(request, response,
                        HttpStatus.UNAUTHORIZED, unauthorizedMessage(ex)))
                .accessDeniedHandler((request, response, ex) -> problems.write(request, response, HttpStatus.FORBIDDEN,
                        forbiddenMessage(request.getRequestURI()))));
        return http.build();
    }

    /**
     * A token that could not be checked is not a bad token: when the issuer's keys cannot
     * be fetched (the JWKS URI does not answer), Spring Security's default rethrows and
     * the servlet container answers 500. The caller gets 503 with Retry-After instead, as
     * for an unreachable database; nothing was done. Refused tokens stay 401.
     */
    static AuthenticationFailureHandler tokenCheckFailures(ApiProblems problems) {
        return (request, response, ex) -> {
            if (ex instanceof AuthenticationServiceException) {
                log.warn("Bearer token could not be checked: {}", ex.getClass().getSimpleName());
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(TOKEN_CHECK_RETRY_AFTER_SECONDS));
                problems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE,
                        "The token issuer's keys cannot be fetched right now; try again shortly");
                return;
            }
            problems.write(request, response, HttpStatus.UNAUTHORIZED, unauthorizedMessage(ex));
        };
    }

    /** The console's pages, by their path within the application. */
    static boolean isConsolePage(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/") || path.equals("/index.html") || path.startsWith("/console/");
    }

    /**
     * Spring Security's strict firewall, with its rule for header texts checked without a
     * regular expression.
     */
    @Bean
    StrictHttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(SecurityConfiguration::isAssignedAndNotControl);
        firewall.setAllowedHeaderValues(SecurityConfiguration::isAssignedAndNotControl);
        return firewall;
    }

    /**
     * The firewall's refusals as problem documents (those raised while the filter chain
     * runs).
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler(ApiProblems problems) {
        return (request, response, ex) -> problems.write(request, response, HttpStatus.BAD_REQUEST,
                ApiProblems.refusedRequestMessage(ex));
    }

    /**
     * The strict firewall's rule for header names and values (only assigned characters,
     * no control characters) without its regular expression: every request's
     * Authorization header is a few hundred characters.
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
     * One decoder for both ways of signing: the HS256 shared secret when it is set, else
     * the issuer's keys. With neither the service does not start, since it could not
     * check a single token. Whichever way, a token must carry {@code exp}, must not have
     * expired, and must name the configured issuer and one of the configured audiences
     * when those are set.
     */
    @Bean
    JwtDecoder jwtDecoder(RegistrationSecurityProperties properties, OAuth2ResourceServerProperties resourceServer) {
        JwtDecoder verifier = verifier(properties, resourceServer);
        int capacity = properties.jwt().verifiedTokens();
        return capacity > 0 ? new VerifiedTokens(verifier, capacity, Clock.systemUTC()) : verifier;
    }

    static NimbusJwtDecoder verifier(RegistrationSecurityProperties properties,
            OAuth2ResourceServerProperties resourceServer) {
        NimbusJwtDecoder decoder = signatureChecker(properties, resourceServer);
        decoder.setJwtValidator(validator(properties, resourceServer.getJwt().getIssuerUri()));
        return decoder;
    }

    private static NimbusJwtDecoder signatureChecker(RegistrationSecurityProperties properties,
            OAuth2ResourceServerProperties resourceServer) {
        String secret = properties.jwt().secret();
        if (StringUtils.hasText(secret)) {
            byte[] key = secret.getBytes(StandardCharsets.UTF_8);
            if (key.length < 32) {
                throw new IllegalStateException("registration.security.jwt.secret must be at least 32 bytes for HS256");
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
            return NimbusJwtDecoder.withIssuerLocation(jwt.getIssuerUri()).build();
        }
        throw new IllegalStateException(NO_WAY_TO_VERIFY);
    }

    /**
     * Spring's defaults (expiry and not-before with a minute of clock skew) plus:
     * {@code exp} is required, since a token without it would be accepted forever; the
     * issuer whenever one is configured, whether the keys come from a secret, a JWKS URI
     * or the issuer itself; one of the audiences when they are configured.
     */
    static OAuth2TokenValidator<Jwt> validator(RegistrationSecurityProperties properties, String issuer) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtClaimValidator<Object>(JwtClaimNames.EXP, Objects::nonNull));
        if (StringUtils.hasText(issuer)) {
            validators.add(new JwtIssuerValidator(issuer));
        }
        List<String> audiences = properties.jwt().audiences();
        if (!audiences.isEmpty()) {
            validators.add(new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD,
                    aud -> aud != null && aud.stream().anyMatch(audiences::contains)));
        }
        return JwtValidators.createDefaultWithValidators(validators);
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
        return path.startsWith("/api/") ? "The token names no organisation" : "The token does not allow this request";
    }

}
