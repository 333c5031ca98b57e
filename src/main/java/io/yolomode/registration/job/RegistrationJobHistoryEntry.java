package io.yolomode.registration.job;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import lombok.AccessLevel;
import lombok.Getter;
import lombok.NoArgsConstructor;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a job's append-only history (a row of {@code registration_job_events}): a
 * run, a sub-step transition, a retry, a takeover or a cancel; its {@code type} is the
 * stored text of a {@code queue.HistoryEntryType}. {@code sequence} is the job's version
 * when it happened, so it orders a job's history without gaps in meaning. Only a job's
 * creation is saved through this entity; every other entry is written by the statement of
 * the queue that makes the change.
 */
@Entity
@Table(name = "registration_job_events")
@Getter
@NoArgsConstructor(access = AccessLevel.PROTECTED)
public class RegistrationJobHistoryEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "registration_job_id", nullable = false)
    private UUID registrationJobId;

    @Column(nullable = false)
    private long sequence;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(nullable = false)
    private String type;

    @Column(name = "sub_step")
    private @Nullable String subStep;

    private @Nullable String status;

    private @Nullable Integer attempt;

    private @Nullable String error;

    public RegistrationJobHistoryEntry(UUID registrationJobId, long sequence, Instant occurredAt, String type,
            String status) {
        this.registrationJobId = registrationJobId;
        this.sequence = sequence;
        this.occurredAt = occurredAt;
        this.type = type;
        this.status = status;
    }

}
