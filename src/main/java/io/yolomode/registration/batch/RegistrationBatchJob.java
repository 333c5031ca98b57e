package io.yolomode.registration.batch;

import java.time.Instant;
import java.util.UUID;

import io.yolomode.registration.job.FormData;
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
 * A batch of restaurants run through the same pipeline, with its counters of finished
 * runs.
 */
@Entity
@Table(name = "registration_batch_jobs")
@Getter
@NoArgsConstructor(access = AccessLevel.PROTECTED)
public class RegistrationBatchJob {

    @Id
    private UUID id;

    @Column(name = "organisation_id", nullable = false)
    private UUID organisationId;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private BatchStatus status;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "execution_config", nullable = false)
    private FormData executionConfig;

    @Column(name = "total_restaurants", nullable = false)
    private int totalRestaurants;

    @Column(name = "completed_restaurants", nullable = false)
    private int completedRestaurants;

    @Column(name = "failed_restaurants", nullable = false)
    private int failedRestaurants;

    @Column(name = "cancelled_restaurants", nullable = false)
    private int cancelledRestaurants;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "started_at")
    private @Nullable Instant startedAt;

    @Column(name = "completed_at")
    private @Nullable Instant completedAt;

    @Column(name = "cancel_requested_at")
    private @Nullable Instant cancelRequestedAt;

    @Version
    @Column(nullable = false)
    private long version;

    /** Far enough ahead that no claim picks a job of a batch that has not started. */
    public static final Instant NOT_STARTED = Instant.parse("9999-12-31T00:00:00Z");

    public RegistrationBatchJob(UUID id, UUID organisationId, String name, FormData executionConfig,
            int totalRestaurants, boolean started, Instant now) {
        this.id = id;
        this.organisationId = organisationId;
        this.name = name;
        this.executionConfig = executionConfig;
        this.totalRestaurants = totalRestaurants;
        this.status = started ? BatchStatus.IN_PROGRESS : BatchStatus.DRAFT;
        this.startedAt = started ? now : null;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public boolean canStart() {
        return status == BatchStatus.DRAFT || status == BatchStatus.PENDING;
    }

    public void start(Instant now) {
        this.status = BatchStatus.IN_PROGRESS;
        this.startedAt = now;
        this.updatedAt = now;
    }

    public boolean isFinished() {
        return status == BatchStatus.COMPLETED || status == BatchStatus.FAILED || status == BatchStatus.CANCELLED;
    }

}
