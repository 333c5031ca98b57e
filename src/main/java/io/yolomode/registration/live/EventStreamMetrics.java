package io.yolomode.registration.live;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * {@code yolo.sse.clients}: event-stream clients connected to this instance;
 * {@code yolo.sse.dropped}: clients dropped because they stopped reading;
 * {@code yolo.sse.rejected}: streams refused over a limit (429);
 * {@code yolo.db.listener.reconnects}: times the listening connection was opened again
 * after it broke or went silent.
 */
@Component
class EventStreamMetrics implements MeterBinder {

    private final JobChangeHub hub;

    private final DatabaseNotifications notifications;

    EventStreamMetrics(JobChangeHub hub, DatabaseNotifications notifications) {
        this.hub = hub;
        this.notifications = notifications;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("yolo.sse.clients", hub, JobChangeHub::clientCount)
            .description("Event-stream clients connected to this instance")
            .register(registry);
        FunctionCounter.builder("yolo.sse.dropped", hub, JobChangeHub::droppedCount)
            .description("Event-stream clients dropped because they did not read")
            .register(registry);
        FunctionCounter.builder("yolo.sse.rejected", hub, JobChangeHub::rejectedCount)
            .description("Event streams refused because a limit was reached")
            .register(registry);
        FunctionCounter.builder("yolo.db.listener.reconnects", notifications, DatabaseNotifications::reconnects)
            .description("Times the database listening connection was opened again")
            .register(registry);
    }

}
