package io.yolomode.registration.restaurant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import lombok.AccessLevel;
import lombok.Getter;
import lombok.NoArgsConstructor;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/**
 * A restaurant of an organisation, with the details that the registration payloads read
 * and its menus.
 */
@Entity
@Table(name = "restaurants")
@Getter
@NoArgsConstructor(access = AccessLevel.PROTECTED)
public class Restaurant {

    @Id
    private UUID id;

    @Column(name = "organisation_id", nullable = false)
    private UUID organisationId;

    @Column(nullable = false)
    private String name;

    private @Nullable String email;

    private @Nullable String phone;

    private @Nullable String address;

    private @Nullable String city;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "opening_hours")
    private @Nullable Map<String, Object> openingHours;

    @OneToMany
    @JoinColumn(name = "restaurant_id", insertable = false, updatable = false)
    @OrderBy("name")
    private List<Menu> menus = new ArrayList<>();

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false, insertable = false, updatable = false)
    private Instant updatedAt;

    public boolean hasMenu(UUID menuId) {
        return menus.stream().anyMatch(menu -> menu.getId().equals(menuId));
    }

}
