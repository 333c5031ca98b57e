package io.yolomode.registration.queue;

/**
 * The job is no longer this runner's: another instance took it over, or it was finished
 * elsewhere. The run stops without writing anything more.
 */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(JobLease lease) {
        super("lease lost on job " + lease.jobId() + " (attempt " + lease.attempt() + ")");
    }

}
