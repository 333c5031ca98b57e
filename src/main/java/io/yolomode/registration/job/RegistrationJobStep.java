package io.yolomode.registration.job;

import java.time.Instant;
import java.util.UUID;

import io.yolomode.registration.progress.ProgressDocument;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import lombok.AccessLevel;
import lombok.Getter;
import lombok.NoArgsConstructor;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/**
 * A step row of a job; the YOLO pipeline keeps its whole progress document in the step-6
 * row.
 */
@Entity
@Table(name = "registration_job_steps")
@Getter
@NoArgsConstructor(access = AccessLevel.PROTECTED)
public class RegistrationJobStep {

    @Id
    private UUID id;

    @Column(name = "registration_job_id", nullable = false)
    private UUID registrationJobId;

    @Column(name = "step_number", nullable = false)
    private int stepNumber;

    @Column(nullable = false)
    private JobStatus status;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "sub_step_progress")
    private @Nullable ProgressDocument subStepProgress;

    @Column(name = "error_message")
    private @Nullable String errorMessage;

    @Column(name = "started_at")
    private @Nullable Instant startedAt;

    @Column(name = "completed_at")
    private @Nullable Instant completedAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    public RegistrationJobStep(UUID id, UUID registrationJobId, int stepNumber, @Nullable ProgressDocument progress,
            Instant now) {
        this.id = id;
        this.registrationJobId = registrationJobId;
        this.stepNumber = stepNumber;
        this.status = JobStatus.PENDING;
        this.subStepProgress = progress;
        this.createdAt = now;
        this.updatedAt = now;
    }

}
