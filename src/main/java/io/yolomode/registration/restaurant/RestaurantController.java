package io.yolomode.registration.restaurant;

import java.util.List;
import java.util.UUID;

import io.yolomode.registration.security.Caller;
import io.yolomode.registration.system.Refusal;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller organisation's restaurants and their menus, for the dialog's pickers.
 */
@RestController
@RequestMapping("/api/restaurants")
class RestaurantController {

    private final RestaurantRepository restaurants;

    RestaurantController(RestaurantRepository restaurants) {
        this.restaurants = restaurants;
    }

    @GetMapping
    List<RestaurantView> list(Caller caller) {
        return restaurants.findByOrganisationIdOrderByName(caller.organisationId())
            .stream()
            .map(RestaurantView::of)
            .toList();
    }

    @GetMapping("/{restaurantId}")
    RestaurantView show(Caller caller, @PathVariable UUID restaurantId) {
        return restaurants.findByIdAndOrganisationId(restaurantId, caller.organisationId())
            .map(RestaurantView::of)
            .orElseThrow(() -> Refusal.notFound("Restaurant " + restaurantId + " was not found"));
    }

    record RestaurantView(UUID id, String name, String city, List<MenuView> menus) {

        static RestaurantView of(Restaurant restaurant) {
            return new RestaurantView(restaurant.getId(), restaurant.getName(), restaurant.getCity(),
                    restaurant.getMenus().stream().map(menu -> new MenuView(menu.getId(), menu.getName())).toList());
        }
    }

    record MenuView(UUID id, String name) {
    }

}
