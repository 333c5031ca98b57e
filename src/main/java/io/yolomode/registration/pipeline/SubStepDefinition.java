package io.yolomode.registration.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.yolomode.registration.progress.RunContext;

/**
 * One row of the pipeline table: which phase it belongs to, what it requires, when it
 * runs, where it calls and with what, what it hands to later sub-steps, and how its calls
 * are made: how long one may take, when a failed one is made again, and how far apart two
 * starts must be across the cluster. {@link Pipeline#row} gives a row the defaults of
 * {@code registration.downstream}; the {@code with} methods give it its own.
 *
 * @param key the sub-step key, as in {@code sub_step_progress}
 * @param phase the phase key
 * @param requires earlier sub-steps that must have ended completed or skipped
 * @param skipReason why the sub-step does not run for this input, if it does not
 * @param path the downstream path, relative to the base URL
 * @param payload the JSON body of the call
 * @param contextUpdate what a successful answer adds to the run context, under names of
 * its own
 * @param timeout the deadline of one call's whole answer
 * @param retry which outcomes are called again, how often and after what wait
 * @param minInterval the least time between two starts of this sub-step across the
 * cluster, held in the database; zero means no rate limit
 */
public record SubStepDefinition(String key, String phase, List<String> requires,
        Function<RunInput, Optional<String>> skipReason, Function<RunInput, String> path,
        Function<RunInput, Map<String, Object>> payload,
        BiFunction<RunContext, Map<String, Object>, RunContext> contextUpdate, Duration timeout, RetryRule retry,
        Duration minInterval) {

    public SubStepDefinition {
        requires = List.copyOf(requires);
    }

    /** Whether each call waits for the cluster-wide rate limit of its key. */
    public boolean rateLimited() {
        return !minInterval.isZero();
    }

    public SubStepDefinition withTimeout(Duration timeout) {
        return new SubStepDefinition(key, phase, requires, skipReason, path, payload, contextUpdate, timeout, retry,
                minInterval);
    }

    public SubStepDefinition withRetry(RetryRule retry) {
        return new SubStepDefinition(key, phase, requires, skipReason, path, payload, contextUpdate, timeout, retry,
                minInterval);
    }

    /** The row with a cluster-wide rate limit of the given interval (zero: none). */
    public SubStepDefinition rateLimited(Duration minInterval) {
        return new SubStepDefinition(key, phase, requires, skipReason, path, payload, contextUpdate, timeout, retry,
                minInterval);
    }
}
