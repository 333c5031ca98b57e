package io.yolomode.registration.queue;

/**
 * Every PostgreSQL NOTIFY channel of the service, with what its payload is. Senders and
 * listeners take the names from here; the one sender outside Java is the trigger of
 * migration V3, whose channel a test compares with {@link #JOB_CHANGED}.
 */
public final class NotificationChannels {

    /**
     * A job became runnable (created, queued again, handed back) or a batch started:
     * every runner claims. The payload says which ({@link RunnerWakeUp#payload()});
     * listeners need not read it.
     */
    public static final String JOB_QUEUED = "registration_job_queued";

    /**
     * Someone asked to cancel a running job; the payload is its id, and its owner stops
     * the run.
     */
    public static final String CANCEL_REQUESTED = "registration_job_cancel";

    /**
     * A job's history grew: {@code <jobId>:<sequence>}, sent by a trigger on every
     * history entry.
     */
    public static final String JOB_CHANGED = "registration_job_changed";

    private static final String LISTENER_CHECK_PREFIX = "yolo_listener_check_";

    private NotificationChannels() {
    }

    /**
     * The channel on which one instance's listening connection sends a check to itself,
     * to find out that it still hears notifications.
     */
    public static String listenerCheck(String instanceTag) {
        return LISTENER_CHECK_PREFIX + instanceTag;
    }

}
