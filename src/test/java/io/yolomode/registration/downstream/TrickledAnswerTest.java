package io.yolomode.registration.downstream;

import java.util.UUID;

import io.yolomode.registration.testsupport.CallerTestSupport;
import io.yolomode.registration.testsupport.SingleJobs;
import io.yolomode.registration.testsupport.TestDownstream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static io.yolomode.registration.testsupport.SingleJobs.subStep;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sub-step's timeout bounds the whole answer: an answer that keeps sending a few bytes
 * well within every read timeout, but takes far longer than the sub-step's timeout in
 * all, ends the attempt as a timeout and is retried like one. (The test profile gives
 * servicesConfig 700 ms.)
 */
class TrickledAnswerTest extends CallerTestSupport {

    @Test
    void anAnswerTricklingInPastTheDeadlineIsATimeoutAndIsRetried() {
        UUID restaurant = data.restaurant(organisation, "Trickle Diner");
        UUID menu = data.menu(restaurant, "Lunch");
        // 50 pieces over 20 s: a piece every 400 ms, inside the 700 ms read timeout, the
        // whole far beyond it
        TestDownstream.stub(TestDownstream.callOf(restaurant, "/api/registration/configure-services")
            .willReturn(TestDownstream.okJson("{\"success\": true, \"padding\": \"" + "x".repeat(80) + "\"}")
                .withChunkedDribbleDelay(50, 20_000)));

        UUID jobId = jobs.start(restaurant, SingleJobs.fullForm(menu));
        JsonNode done = jobs.awaitEnd(jobId);

        JsonNode services = subStep(done, "phase2", "servicesConfig");
        assertThat(services.get("status").asString()).isEqualTo("failed");
        assertThat(services.get("attempts").asInt()).isEqualTo(3);
        assertThat(services.get("error").asString()).isEqualTo("no answer within PT0.7S (gave up after 3 attempts)");
        assertThat(TestDownstream.callsOf(jobId, "servicesConfig")).hasSize(3);
        assertThat(done.get("status").asString()).isEqualTo("failed");
    }

}
