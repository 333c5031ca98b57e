package io.yolomode.registration.restaurant;

import java.util.UUID;

import io.yolomode.registration.testsupport.ApiClient;
import io.yolomode.registration.testsupport.IntegrationTest;
import io.yolomode.registration.testsupport.TestData;
import io.yolomode.registration.testsupport.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restaurants through real HTTP: each organisation sees its own and nobody else's.
 */
@IntegrationTest
class RestaurantApiTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    ApiClient api;

    UUID organisation;

    UUID otherOrganisation;

    UUID harbour;

    UUID otherBistro;

    UUID dinnerMenu;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        TestData data = new TestData(jdbc);
        organisation = data.organisation();
        otherOrganisation = data.organisation();
        harbour = data.restaurant(organisation, "Harbour");
        data.restaurant(organisation, "Anchor");
        dinnerMenu = data.menu(harbour, "Dinner");
        data.menu(harbour, "Brunch");
        otherBistro = data.restaurant(otherOrganisation, "Other Bistro");
    }

    @Test
    void listsOnlyTheCallersRestaurantsWithTheirMenus() {
        ApiClient.Response response = api.get("/api/restaurants", TestTokens.forOrganisation(organisation));

        assertThat(response.status()).isEqualTo(200);
        JsonNode list = response.json();
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("name").asString()).isEqualTo("Anchor");
        JsonNode harbourView = list.get(1);
        assertThat(harbourView.get("id").asString()).isEqualTo(harbour.toString());
        assertThat(harbourView.get("city").asString()).isEqualTo("Testville");
        assertThat(harbourView.get("menus")).hasSize(2);
        assertThat(harbourView.get("menus").get(1).get("id").asString()).isEqualTo(dinnerMenu.toString());
    }

    @Test
    void secondOrganisationSeesOnlyItsOwnRestaurant() {
        ApiClient.Response response = api.get("/api/restaurants", TestTokens.forOrganisation(otherOrganisation));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()).hasSize(1);
        assertThat(response.json().get(0).get("id").asString()).isEqualTo(otherBistro.toString());
    }

    @Test
    void showsOneRestaurant() {
        ApiClient.Response response = api.get("/api/restaurants/" + harbour, TestTokens.forOrganisation(organisation));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("name").asString()).isEqualTo("Harbour");
    }

    @Test
    void anotherOrganisationsRestaurantIsNotFoundRatherThanForbidden() {
        ApiClient.Response response = api.get("/api/restaurants/" + otherBistro,
                TestTokens.forOrganisation(organisation));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("success").asBoolean()).isFalse();
        assertThat(response.json().get("error").asString()).contains("not found");
        assertThat(response.body()).doesNotContain("Other Bistro");
    }

    @Test
    void aRestaurantIdThatIsNoUuidIsABadRequest() {
        ApiClient.Response response = api.get("/api/restaurants/not-a-uuid", TestTokens.forOrganisation(organisation));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("success").asBoolean()).isFalse();
        assertThat(response.json().get("error").asString()).contains("UUID");
    }

}
