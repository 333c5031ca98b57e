package io.yolomode.registration.local;

import java.util.Map;

import io.yolomode.registration.security.HmacTokens;
import io.yolomode.registration.security.RegistrationSecurityProperties;
import lombok.extern.slf4j.Slf4j;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Once the local service is ready, prints a sign-in link to the console, bearer tokens
 * for the two demo organisations and a curl line to try, so that a newcomer can look at
 * the service or call the API at once.
 */
@Slf4j
@Component
@Profile("local")
@Conditional(EmbeddedDatabaseCondition.class)
class LocalReadyBanner {

    private final RegistrationSecurityProperties security;

    LocalReadyBanner(RegistrationSecurityProperties security) {
        this.security = security;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        String secret = security.jwt().secret();
        if (!StringUtils.hasText(secret)
                || !(event.getApplicationContext() instanceof WebServerApplicationContext web)) {
            return;
        }
        HmacTokens tokens = new HmacTokens(secret);
        String demo = tokens.issue("demo-user", DemoData.DEMO_ORGANISATION, security.devTokenValidity(), Map.of());
        String other = tokens.issue("other-user", DemoData.OTHER_ORGANISATION, security.devTokenValidity(), Map.of());
        String base = "http://localhost:" + web.getWebServer().getPort();
        log.info("""

                ==== yolo-registration is ready on {} ====
                Console, signed in as the demo organisation (the token rides in the link's fragment, which the
                browser keeps to itself):
                  {}/#token={}
                Demo organisation token (valid {}):
                  export TOKEN={}
                Second organisation token (sees only its own restaurant):
                  export OTHER_TOKEN={}
                Try:
                  curl -s -H "Authorization: Bearer {}" {}/api/restaurants
                Run the YOLO pipeline for Harbour Grill, then poll it (README: "Trying the API"):
                  curl -s -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\
                    {}/api/registration/execute-single-restaurant \\
                    -d '{"restaurantId": "{}", "formData": {"menu": {"selectedMenuId": "{}", "addOptionSets": true}}}'
                  curl -s -H "Authorization: Bearer $TOKEN" {}/api/registration/single-restaurant-progress/{}
                """, base, base, demo, security.devTokenValidity(), demo, other, demo, base, base,
                DemoData.HARBOUR_GRILL, DemoData.HARBOUR_GRILL_DINNER, base, DemoData.HARBOUR_GRILL);
    }

}
