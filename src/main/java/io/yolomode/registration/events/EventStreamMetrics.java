package io.yolomode.registration.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * {@code yolo.sse.clients}: event-stream clients connected to this instance.
 */
@Component
class EventStreamMetrics implements MeterBinder {

    private final JobChangeHub hub;

    EventStreamMetrics(JobChangeHub hub) {
        this.hub = hub;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("yolo.sse.clients", hub, JobChangeHub::clientCount)
                .description("Event-stream clients connected to this instance").register(registry);
    }
}
