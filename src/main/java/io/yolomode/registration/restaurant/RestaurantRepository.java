package io.yolomode.registration.restaurant;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.repository.Repository;

/**
 * Reads restaurants, always within one organisation.
 */
public interface RestaurantRepository extends Repository<Restaurant, UUID> {

    @EntityGraph(attributePaths = "menus")
    List<Restaurant> findByOrganisationIdOrderByName(UUID organisationId);

    @EntityGraph(attributePaths = "menus")
    Optional<Restaurant> findByIdAndOrganisationId(UUID id, UUID organisationId);

    @EntityGraph(attributePaths = "menus")
    List<Restaurant> findByIdInAndOrganisationId(Collection<UUID> ids, UUID organisationId);

}
