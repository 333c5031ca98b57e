package io.yolomode.registration.testsupport;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A test of the whole service through real HTTP as one caller: each test starts as a
 * fresh organisation with its token, an API client and the single-restaurant calls,
 * against a registration API that answers success.
 */
@IntegrationTest
public abstract class CallerTestSupport {

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    protected TestData data;

    protected UUID organisation;

    protected String token;

    protected ApiClient api;

    protected SingleJobs jobs;

    @BeforeEach
    void startAsANewOrganisation() {
        TestDownstream.reset();
        data = new TestData(jdbc);
        organisation = data.organisation();
        token = TestTokens.forOrganisation(organisation);
        api = new ApiClient(port);
        jobs = new SingleJobs(api, token);
    }

}
