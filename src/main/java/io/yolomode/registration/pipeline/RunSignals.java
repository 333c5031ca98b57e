package io.yolomode.registration.pipeline;

/**
 * What the runner tells a run while it goes on: whether to start nothing new because the
 * instance is shutting down, or because someone cancelled the job.
 */
public interface RunSignals {

    boolean draining();

    boolean cancelRequested();

}
