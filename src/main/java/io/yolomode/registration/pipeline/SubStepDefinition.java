package io.yolomode.registration.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.yolomode.registration.job.RunContext;

/**
 * One row of the pipeline table: which phase it belongs to, what it requires, when it runs, where it calls and
 * with what, and what it hands to later sub-steps.
 *
 * @param key           the sub-step key, as in {@code sub_step_progress}
 * @param phase         the phase key
 * @param requires      sub-steps that must have ended completed or skipped
 * @param skipReason    why the sub-step does not run for this input, if it does not
 * @param path          the downstream path, relative to the base URL
 * @param payload       the JSON body of the call
 * @param contextUpdate what a successful answer adds to the run context
 * @param clusterRateLimited whether each call waits for the cluster-wide rate limit of its key
 */
public record SubStepDefinition(
        String key,
        String phase,
        List<String> requires,
        Function<RunInput, Optional<String>> skipReason,
        Function<RunInput, String> path,
        Function<RunInput, Map<String, Object>> payload,
        BiFunction<RunContext, Map<String, Object>, RunContext> contextUpdate,
        boolean clusterRateLimited) {
}
