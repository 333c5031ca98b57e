package io.yolomode.registration.local;

import java.util.List;
import java.util.UUID;

import lombok.extern.slf4j.Slf4j;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The local profile's demo organisations, restaurants and menus, with fixed ids so that a
 * restart finds them instead of adding more. The second organisation exists to show that
 * callers see only their own.
 */
@Slf4j
@Component
@Profile("local")
@Conditional(EmbeddedDatabaseCondition.class)
class DemoData implements ApplicationRunner {

    static final UUID DEMO_ORGANISATION = UUID.fromString("0d5e0000-0000-4000-8000-000000000001");

    static final UUID OTHER_ORGANISATION = UUID.fromString("0d5e0000-0000-4000-8000-000000000002");

    static final UUID HARBOUR_GRILL = UUID.fromString("0d5e0000-0000-4000-8000-000000000101");

    static final UUID HARBOUR_GRILL_DINNER = UUID.fromString("0d5e0000-0000-4000-8000-000000001011");

    private static final List<DemoRestaurant> RESTAURANTS = List.of(
            new DemoRestaurant(HARBOUR_GRILL, DEMO_ORGANISATION, "Harbour Grill", "12 Quay Street", "Auckland",
                    "+64 9 555 0101", "hello@harbourgrill.test",
                    List.of(new DemoMenu(HARBOUR_GRILL_DINNER, "Dinner"),
                            new DemoMenu(UUID.fromString("0d5e0000-0000-4000-8000-000000001012"), "Lunch"))),
            new DemoRestaurant(UUID.fromString("0d5e0000-0000-4000-8000-000000000102"), DEMO_ORGANISATION, "Noodle Lab",
                    "8 Cuba Street", "Wellington", "+64 4 555 0102", "eat@noodlelab.test",
                    List.of(new DemoMenu(UUID.fromString("0d5e0000-0000-4000-8000-000000001021"), "All day"))),
            new DemoRestaurant(UUID.fromString("0d5e0000-0000-4000-8000-000000000103"), DEMO_ORGANISATION,
                    "Southern Pies", "40 Colombo Street", "Christchurch", "+64 3 555 0103", "pies@southern.test",
                    List.of(new DemoMenu(UUID.fromString("0d5e0000-0000-4000-8000-000000001031"), "Bakery"))),
            new DemoRestaurant(UUID.fromString("0d5e0000-0000-4000-8000-000000000201"), OTHER_ORGANISATION,
                    "Other Group Bistro", "1 Main Road", "Hamilton", "+64 7 555 0201", "bistro@other.test",
                    List.of(new DemoMenu(UUID.fromString("0d5e0000-0000-4000-8000-000000002011"), "Bistro"))));

    private static final String OPENING_HOURS = """
            {"monday": "11:00-22:00", "tuesday": "11:00-22:00", "wednesday": "11:00-22:00",
             "thursday": "11:00-22:00", "friday": "11:00-23:00", "saturday": "10:00-23:00",
             "sunday": "10:00-21:00"}""";

    private final JdbcClient jdbc;

    DemoData(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        organisation(DEMO_ORGANISATION, "Demo Restaurant Group");
        organisation(OTHER_ORGANISATION, "Other Hospitality Ltd");
        RESTAURANTS.forEach(this::restaurant);
        log.info("Demo data ready: {} restaurants in 2 organisations", RESTAURANTS.size());
    }

    private void organisation(UUID id, String name) {
        jdbc.sql("insert into organisations (id, name) values (?, ?) on conflict (id) do nothing")
            .params(id, name)
            .update();
    }

    private void restaurant(DemoRestaurant restaurant) {
        jdbc.sql("""
                insert into restaurants (id, organisation_id, name, address, city, phone, email, opening_hours)
                values (?, ?, ?, ?, ?, ?, ?, ?::jsonb) on conflict (id) do nothing""")
            .params(restaurant.id(), restaurant.organisationId(), restaurant.name(), restaurant.address(),
                    restaurant.city(), restaurant.phone(), restaurant.email(), OPENING_HOURS)
            .update();
        restaurant.menus()
            .forEach(menu -> jdbc
                .sql("insert into menus (id, restaurant_id, name) values (?, ?, ?) on conflict (id) do nothing")
                .params(menu.id(), restaurant.id(), menu.name())
                .update());
    }

    record DemoRestaurant(UUID id, UUID organisationId, String name, String address, String city, String phone,
            String email, List<DemoMenu> menus) {
    }

    record DemoMenu(UUID id, String name) {
    }

}
