package io.yolomode.registration.queue;

import java.util.Arrays;

/**
 * The kinds of entry in a job's history ({@code registration_job_events.type}), each with
 * the text stored for it. Every statement that appends an entry takes its type from here,
 * as a parameter.
 */
public enum HistoryEntryType {

    /** The job was created, pending. */
    JOB_CREATED("job_created"),

    /** A finished job was made runnable again (reused or resumed). */
    JOB_QUEUED("job_queued"),

    /** A runner claimed a pending job. */
    JOB_STARTED("job_started"),

    /** A runner claimed a job whose previous owner's lease had expired. */
    JOB_TAKEN_OVER("job_taken_over"),

    /** A sub-step changed status (started, retried, done, failed, cancelled). */
    SUB_STEP("sub_step"),

    /** A runner handed the job back unfinished (graceful shutdown). */
    JOB_RELEASED("job_released"),

    /** Someone asked to cancel the running job; its owner stops it. */
    CANCEL_REQUESTED("cancel_requested"),

    /** The job ended: completed, failed or cancelled. */
    JOB_FINISHED("job_finished");

    private final String text;

    HistoryEntryType(String text) {
        this.text = text;
    }

    /** The stored text. */
    public String text() {
        return text;
    }

    /** The type of a stored text (the read side gets entries as text). */
    public static HistoryEntryType of(String text) {
        return Arrays.stream(values())
            .filter(type -> type.text.equals(text))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown history entry type " + text));
    }

}
