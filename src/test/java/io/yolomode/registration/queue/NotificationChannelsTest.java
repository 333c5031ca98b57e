package io.yolomode.registration.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one channel sent outside Java, by the history trigger (migration V3, replaced by
 * V7), is the one the change hub listens on.
 */
class NotificationChannelsTest {

    @Test
    void theHistoryTriggerNotifiesTheChangeChannel() throws IOException {
        for (String migration : new String[] { "V3__job_change_notifications.sql",
                "V7__cheaper_history_and_progress_writes.sql" }) {
            try (InputStream in = getClass().getResourceAsStream("/db/migration/" + migration)) {
                assertThat(in).as(migration).isNotNull();
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).as(migration)
                    .contains("pg_notify('" + NotificationChannels.JOB_CHANGED + "', ");
            }
        }
    }

    @Test
    void everyInstanceChecksItsListenerOnAChannelOfItsOwn() {
        assertThat(NotificationChannels.listenerCheck("a1")).isEqualTo("yolo_listener_check_a1")
            .isNotEqualTo(NotificationChannels.listenerCheck("b2"));
    }

}
