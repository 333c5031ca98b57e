package io.yolomode.registration.queue;

import java.util.Arrays;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stored text of each history entry type: what the API, the console and stored rows
 * already use.
 */
class HistoryEntryTypeTest {

    @Test
    void eachTypeIsStoredAsItsNameInLowerCase() {
        assertThat(HistoryEntryType.values())
            .allSatisfy(type -> assertThat(type.text()).isEqualTo(type.name().toLowerCase(Locale.ROOT)));
        assertThat(Arrays.stream(HistoryEntryType.values()).map(HistoryEntryType::text)).containsExactly("job_created",
                "job_queued", "job_started", "job_taken_over", "sub_step", "job_released", "cancel_requested",
                "job_finished");
    }

    @Test
    void aStoredTextReadsBackAsItsType() {
        assertThat(HistoryEntryType.values())
            .allSatisfy(type -> assertThat(HistoryEntryType.of(type.text())).isSameAs(type));
        assertThatThrownBy(() -> HistoryEntryType.of("job_done")).isInstanceOf(IllegalArgumentException.class);
    }

}
