package io.yolomode.registration.restaurant;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import lombok.AccessLevel;
import lombok.Getter;
import lombok.NoArgsConstructor;

/**
 * A customer organisation; the tenant that every API call is scoped to.
 */
@Entity
@Table(name = "organisations")
@Getter
@NoArgsConstructor(access = AccessLevel.PROTECTED)
public class Organisation {

    @Id
    private UUID id;

    @Column(nullable = false)
    private String name;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    private Instant createdAt;

    public Organisation(UUID id, String name) {
        this.id = id;
        this.name = name;
    }

}
