package io.yolomode.registration.query;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * {@code yolo.poll.cache.jobs}: jobs whose progress answer this instance keeps in memory;
 * {@code yolo.read.statements}: statements the read side ran (polls answered from memory
 * run none).
 */
@Component
class ReadSideMetrics implements MeterBinder {

    private final PollCache cache;

    private final JobQueries queries;

    ReadSideMetrics(PollCache cache, JobQueries queries) {
        this.cache = cache;
        this.queries = queries;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("yolo.poll.cache.jobs", cache, PollCache::size)
            .description("Jobs whose progress answer this instance keeps in memory")
            .register(registry);
        FunctionCounter.builder("yolo.read.statements", queries, JobQueries::statements)
            .description("Statements the read side ran")
            .register(registry);
    }

}
