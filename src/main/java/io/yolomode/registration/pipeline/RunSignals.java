package io.yolomode.registration.pipeline;

/**
 * What the runner tells a run while it goes on: whether to start nothing new (the instance is shutting down).
 */
@FunctionalInterface
public interface RunSignals {

    RunSignals NONE = () -> false;

    boolean draining();
}
