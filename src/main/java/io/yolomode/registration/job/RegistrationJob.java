package io.yolomode.registration.job;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import lombok.AccessLevel;
import lombok.Getter;
import lombok.NoArgsConstructor;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/**
 * One restaurant's registration run: a row of {@code registration_jobs}. A
 * single-restaurant job has no batch. The lease fields belong to the runner that holds
 * the job; {@code version} grows with every change. The entity is created here and read
 * here; every later change of its status, lease, cancel flag or schedule is a statement
 * of the queue ({@code queue.JobQueue}), with its history entry.
 */
@Entity
@Table(name = "registration_jobs")
@Getter
@NoArgsConstructor(access = AccessLevel.PROTECTED)
public class RegistrationJob {

    /** The step row that carries a single-restaurant job's progress. */
    public static final int YOLO_STEP_NUMBER = 6;

    @Id
    private UUID id;

    @Column(name = "batch_job_id")
    private @Nullable UUID batchJobId;

    @Column(name = "restaurant_id", nullable = false)
    private UUID restaurantId;

    @Column(name = "organisation_id", nullable = false)
    private UUID organisationId;

    @Column(nullable = false)
    private JobStatus status;

    @Column(name = "current_step")
    private @Nullable Integer currentStep;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "execution_config", nullable = false)
    private FormData executionConfig;

    @Column(name = "error_message")
    private @Nullable String errorMessage;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "started_at")
    private @Nullable Instant startedAt;

    @Column(name = "completed_at")
    private @Nullable Instant completedAt;

    @Column(name = "scheduled_at", nullable = false)
    private Instant scheduledAt;

    @Column(name = "lease_owner")
    private @Nullable String leaseOwner;

    @Column(name = "lease_expires_at")
    private @Nullable Instant leaseExpiresAt;

    @Column(nullable = false)
    private int attempt;

    @Column(name = "takeover_count", nullable = false)
    private int takeoverCount;

    @Column(name = "cancel_requested_at")
    private @Nullable Instant cancelRequestedAt;

    @Version
    @Column(nullable = false)
    private long version;

    public RegistrationJob(UUID id, @Nullable UUID batchJobId, UUID restaurantId, UUID organisationId,
            FormData executionConfig, Instant scheduledAt, Instant now) {
        this.id = id;
        this.batchJobId = batchJobId;
        this.restaurantId = restaurantId;
        this.organisationId = organisationId;
        this.status = JobStatus.PENDING;
        this.currentStep = YOLO_STEP_NUMBER;
        this.executionConfig = executionConfig;
        this.createdAt = now;
        this.updatedAt = now;
        this.scheduledAt = scheduledAt;
    }

}
