package io.yolomode.registration.pipeline;

/**
 * How a run ended: the job finished (completed or failed), the run stopped early and the job should be handed
 * back, or the job was no longer this run's.
 */
public enum RunOutcome {
    FINISHED, STOPPED, LEASE_LOST
}
