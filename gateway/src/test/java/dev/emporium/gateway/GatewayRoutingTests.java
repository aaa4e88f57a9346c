package dev.emporium.gateway;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Which public path goes to which service. */
class GatewayRoutingTests extends GatewayTestBase {

    @Test
    void routesProductsAndInventoryToInventoryService() {
        http().get().uri("/api/products").exchange()
            .expectStatus().isOk().expectBody(String.class).isEqualTo("inventory-service /api/products for 127.0.0.1");
        http().get().uri("/api/products/42").exchange()
            .expectStatus().isOk().expectBody(String.class).isEqualTo("inventory-service /api/products/42 for 127.0.0.1");
        http().get().uri("/api/inventory/42").headers(headers -> headers.setBearerAuth(customer())).exchange()
            .expectStatus().isOk().expectBody(String.class).isEqualTo("inventory-service /api/inventory/42 with token for 127.0.0.1");
    }

    @Test
    void routesOrdersToOrderServiceAndRelaysTheToken() {
        http().get().uri("/api/orders?page=1").headers(headers -> headers.setBearerAuth(customer())).exchange()
            .expectStatus().isOk().expectBody(String.class).isEqualTo("order-service /api/orders with token for 127.0.0.1");
    }

    @Test
    void answersServiceUnavailableAsAProblemWhileNoInstanceOfTheServiceIsRegistered() {
        http().get().uri("/api/users/me").headers(headers -> headers.setBearerAuth(customer())).exchange()
            .expectStatus().isEqualTo(503)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectHeader().exists("Retry-After");
    }

    @Test
    void neverRoutesActuatorEndpoints() {
        http().get().uri("/actuator/health").exchange().expectStatus().isNotFound();
        http().get().uri("/actuator/env").exchange().expectStatus().isNotFound();
        http().get().uri("/actuator/env").headers(headers -> headers.setBearerAuth(customer())).exchange()
            .expectStatus().isNotFound()
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
