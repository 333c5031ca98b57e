package io.yolomode.registration.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.CallerTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's pages over plain HTTP: open without a token, under a
 * Content-Security-Policy that allows no inline code and nothing from elsewhere, while
 * the API and everything else keep needing a token.
 */
class ConsolePagesTest extends CallerTestSupport {

    @Test
    void thePagesAreOpenAndCarryAStrictContentSecurityPolicy() {
        ApiClient.Response page = api.get("/", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/console/app.js\"></script>");
        String policy = page.header("Content-Security-Policy");
        assertThat(policy).contains("default-src 'self'")
            .contains("script-src 'self'")
            .contains("style-src 'self'")
            .contains("frame-ancestors 'none'")
            .doesNotContain("unsafe-inline")
            .doesNotContain("unsafe-eval");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");

        for (String file : new String[] { "/console/app.js", "/console/console.css", "/console/views/job.js" }) {
            ApiClient.Response asset = api.get(file, null);
            assertThat(asset.status()).as(file).isEqualTo(200);
            assertThat(asset.header("Content-Security-Policy")).as(file).isEqualTo(policy);
        }
    }

    @Test
    void theApiAndOtherPathsStillNeedAToken() {
        assertThat(api.get("/api/restaurants", null).status()).isEqualTo(401);
        assertThat(api.get("/api/registration/jobs", null).status()).isEqualTo(401);
        assertThat(api.get("/actuator/metrics", null).status()).isEqualTo(401);
        assertThat(api.get("/not-the-console.html", null).status()).isEqualTo(401);
        assertThat(api.get("/api/restaurants", token).status()).isEqualTo(200);
    }

    @Test
    void theConsoleLoadsNothingFromElsewhereAndHasNoInlineCode() throws IOException {
        Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath:/static/**/*.*");
        assertThat(files).hasSizeGreaterThan(5);
        for (Resource file : files) {
            String text = file.getContentAsString(StandardCharsets.UTF_8);
            assertThat(text).as(file.getFilename()).doesNotContain("https://").doesNotContain("//cdn");
            if (file.getFilename().endsWith(".html")) {
                assertThat(text).as("inline script").doesNotContainPattern("<script(?![^>]*\\ssrc=)");
                assertThat(text).as("inline style").doesNotContain(" style=").doesNotContain("<style");
                assertThat(text).as("inline handler").doesNotContainPattern("\\son[a-z]+=");
            }
            if (file.getFilename().endsWith(".js")) {
                assertThat(text).as(file.getFilename() + " keeps the token out of storage that outlives the tab")
                    .doesNotContain("localStorage");
            }
        }
    }

}
