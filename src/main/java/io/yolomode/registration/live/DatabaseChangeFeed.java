package io.yolomode.registration.live;

import java.util.UUID;
import java.util.function.ObjLongConsumer;

import io.yolomode.registration.query.JobChangeFeed;
import io.yolomode.registration.queue.NotificationChannels;

import org.springframework.stereotype.Component;

/**
 * The read side's feed of job changes: the {@code registration_job_changed} notifications
 * ({@code
 * '<jobId>:<sequence>'}, sent by a trigger on every history entry) this instance hears,
 * and which listening connection heard them.
 */
@Component
class DatabaseChangeFeed implements JobChangeFeed {

    private final DatabaseNotifications notifications;

    DatabaseChangeFeed(DatabaseNotifications notifications) {
        this.notifications = notifications;
    }

    @Override
    public void onJobChange(ObjLongConsumer<UUID> listener) {
        notifications.subscribe(NotificationChannels.JOB_CHANGED, payload -> {
            int separator = payload.indexOf(':');
            if (separator > 0) {
                listener.accept(UUID.fromString(payload.substring(0, separator)),
                        Long.parseLong(payload.substring(separator + 1)));
            }
        });
    }

    @Override
    public long listeningConnection() {
        return notifications.listeningConnection();
    }

}
