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

/**
 * A batch of restaurants run through the same pipeline, with its counters of finished runs.
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

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "completed_at")
    private Instant completedAt;

    @Column(name = "cancel_requested_at")
    private Instant cancelRequestedAt;

    @Version
    @Column(nullable = false)
    private long version;
}
