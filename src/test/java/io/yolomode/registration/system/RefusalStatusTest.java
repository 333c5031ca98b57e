package io.yolomode.registration.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Services refuse in their own terms; the exception handler alone turns each kind of
 * refusal into its status, with the refusal's fields and, over a limit, a Retry-After in
 * whole seconds rounded up.
 */
class RefusalStatusTest {

    private final ApiExceptionHandler handler = new ApiExceptionHandler();

    @Test
    void eachKindOfRefusalHasItsOwnStatus() {
        assertThat(statusOf(Refusal.notFound("no job"))).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(statusOf(Refusal.invalid("bad page"))).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(statusOf(Refusal.notPermitted("not yours"))).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(statusOf(Refusal.conflict("already ended"))).isEqualTo(HttpStatus.CONFLICT);
        assertThat(statusOf(Refusal.overLimit("too many streams", Duration.ofSeconds(2))))
            .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    @Test
    void theProblemCarriesTheMessageAndTheFieldsOfTheRefusal() {
        ResponseEntity<ProblemDetail> answer = handler
            .handleRefusal(Refusal.conflict("Batch b already ended cancelled", Map.of("status", "cancelled")));

        assertThat(answer.getBody().getStatus()).isEqualTo(409);
        assertThat(answer.getBody().getDetail()).isEqualTo("Batch b already ended cancelled");
        assertThat(answer.getBody().getProperties()).containsEntry("status", "cancelled");
        assertThat(answer.getHeaders().get(HttpHeaders.RETRY_AFTER)).isNull();
    }

    @Test
    void overALimitTheCallerIsToldWhenToComeBackInWholeSecondsRoundedUp() {
        ResponseEntity<ProblemDetail> answer = handler
            .handleRefusal(Refusal.overLimit("This instance has 100 streams", Duration.ofMillis(1200)));

        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
    }

    private HttpStatus statusOf(Refusal refusal) {
        return HttpStatus.valueOf(handler.handleRefusal(refusal).getStatusCode().value());
    }

}
