package io.yolomode.registration.pipeline;

/**
 * How a run ended: the job finished (completed or failed), it was cancelled, the run
 * stopped early and the job should be handed back, or the job was no longer this run's.
 */
public enum RunOutcome {

    FINISHED, CANCELLED, STOPPED, LEASE_LOST

}
