package io.yolomode.registration.job;

/**
 * Puts a stored progress document into the pipeline's order (JSONB keeps no key order), so that every reader
 * shows phases and sub-steps as the pipeline runs them. The pipeline provides it.
 */
public interface ProgressLayout {

    ProgressDocument inPipelineOrder(ProgressDocument document);
}
