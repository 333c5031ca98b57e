package io.yolomode.registration.testsupport;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Writes organisations, restaurants and menus for a test, each with fresh ids, so that
 * tests sharing the one database never see each other's rows.
 */
public final class TestData {

    private final JdbcClient jdbc;

    public TestData(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public UUID organisation() {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into organisations (id, name) values (?, ?)").params(id, "Org " + id).update();
        return id;
    }

    public UUID restaurant(UUID organisationId, String name) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into restaurants (id, organisation_id, name, email, phone, address, city, opening_hours)
                values (?, ?, ?, ?, ?, ?, ?, '{"monday": "09:00-17:00"}'::jsonb)""")
            .params(id, organisationId, name, "owner@" + id + ".test", "+64 9 555 0000", "1 Test Street", "Testville")
            .update();
        return id;
    }

    public UUID menu(UUID restaurantId, String name) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into menus (id, restaurant_id, name) values (?, ?, ?)")
            .params(id, restaurantId, name)
            .update();
        return id;
    }

}
