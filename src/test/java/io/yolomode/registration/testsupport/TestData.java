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

    /**
     * A single-restaurant job that {@code owner} holds as run {@code attempt}, with a
     * lease that will not expire during a test, the given stored form and progress
     * document (JSON) in its step row.
     */
    public UUID heldJob(UUID organisationId, UUID restaurantId, String owner, int attempt, String form,
            String document) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into registration_jobs (id, restaurant_id, organisation_id, status, current_step,
                    execution_config, lease_owner, lease_expires_at, attempt)
                values (?, ?, ?, 'in_progress', 6, ?::jsonb, ?, now() + interval '10 minutes', ?)""")
            .params(id, restaurantId, organisationId, form, owner, attempt)
            .update();
        jdbc.sql("""
                insert into registration_job_steps (id, registration_job_id, step_number, status, sub_step_progress)
                values (?, ?, 6, 'in_progress', ?::jsonb)""").params(UUID.randomUUID(), id, document).update();
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
