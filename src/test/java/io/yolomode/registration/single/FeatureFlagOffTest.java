package io.yolomode.registration.single;

import java.util.Map;
import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.IntegrationTest;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code registration.async-single-restaurant.enabled=false} execute is refused with
 * 403 and writes nothing, so the frontend can fall back. This instance runs no jobs, so
 * it leaves other tests' jobs alone.
 */
@IntegrationTest
@TestPropertySource(
        properties = { "registration.async-single-restaurant.enabled=false", "registration.runner.enabled=false" })
class FeatureFlagOffTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void executeIsForbiddenAndWritesNothing() {
        TestData data = new TestData(jdbc);
        UUID organisation = data.organisation();
        UUID restaurant = data.restaurant(organisation, "Flagged Off");
        SingleJobs jobs = new SingleJobs(new ApiClient(port), TestTokens.forOrganisation(organisation));

        ApiClient.Response response = jobs.execute(restaurant, Map.of());

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("success").asBoolean()).isFalse();
        assertThat(response.json().get("error").asString()).contains("switched off");
        assertThat(jdbc.sql("select count(*) from registration_jobs where restaurant_id = ?")
            .param(restaurant)
            .query(Long.class)
            .single()).isZero();
        assertThat(jobs.progress(restaurant).get("status").asString()).isEqualTo("not_started");
    }

}
