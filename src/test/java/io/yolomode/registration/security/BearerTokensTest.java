package io.yolomode.registration.security;

import java.util.List;

import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The header is read exactly as Spring Security's own resolver reads it: same token, or
 * the same refusal.
 */
class BearerTokensTest {

    static List<String> headers() {
        String jwt = TestTokens.forOrganisation(java.util.UUID.randomUUID());
        return java.util.Arrays.asList(null, "", "Bearer " + jwt, "bearer " + jwt, "BEARER " + jwt, "Bearer", "Bearer ",
                "Bearer  " + jwt, "Bearer " + jwt + " ", "Bearer abc==", "Bearer abc=d", "Bearer =",
                "Bearer a.b-c_d~e+f/g", "Bearer a b", "Bearer a\tb", "Bearer ä", "Bearerabc", "Basic dXNlcjpwYXNz",
                "Token abc", "bear abc");
    }

    @ParameterizedTest
    @MethodSource("headers")
    void readsTheHeaderAsSpringSecurityDoes(String header) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/registration/jobs");
        if (header != null) {
            request.addHeader("Authorization", header);
        }
        Outcome expected = outcome(() -> new DefaultBearerTokenResolver().resolve(request));

        Outcome actual = outcome(() -> new BearerTokens().resolve(request));

        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("headers")
    void anEventStreamAlsoTakesTheTokenFromTheQuery(String header) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/registration/jobs/42/events");
        request.setParameter("access_token", "abc");
        request.setQueryString("access_token=abc");
        if (header != null) {
            request.addHeader("Authorization", header);
        }
        DefaultBearerTokenResolver spring = new DefaultBearerTokenResolver();
        spring.setAllowUriQueryParameter(true);

        assertThat(outcome(() -> new BearerTokens().resolve(request)))
            .isEqualTo(outcome(() -> spring.resolve(request)));
    }

    private record Outcome(String token, String error) {
    }

    private static Outcome outcome(java.util.function.Supplier<String> resolve) {
        try {
            return new Outcome(resolve.get(), null);
        }
        catch (OAuth2AuthenticationException ex) {
            return new Outcome(null, ex.getError().getDescription());
        }
    }

}
