package dev.emporium.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway's routes, resolved through Spring Cloud's discovery abstraction. Eureka itself is
 * replaced by the simple discovery client that lists the stub backends below; the launcher's
 * integration test covers the same routes through a real Eureka.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "eureka.client.enabled=false")
class GatewayRoutingTests {

    static final HttpServer inventoryService = backend("inventory-service");
    static final HttpServer orderService = backend("order-service");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void discovery(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.discovery.client.simple.instances.inventory-service[0].uri",
                () -> "http://localhost:" + inventoryService.getAddress().getPort());
        registry.add("spring.cloud.discovery.client.simple.instances.order-service[0].uri",
                () -> "http://localhost:" + orderService.getAddress().getPort());
    }

    @AfterAll
    static void stopBackends() {
        inventoryService.stop(0);
        orderService.stop(0);
    }

    @Test
    void routesProductsAndInventoryToInventoryService() {
        get("/api/products").expectStatus().isOk().expectBody(String.class).isEqualTo("inventory-service /api/products");
        get("/api/products/42").expectStatus().isOk().expectBody(String.class).isEqualTo("inventory-service /api/products/42");
        get("/api/inventory/42").expectStatus().isOk().expectBody(String.class).isEqualTo("inventory-service /api/inventory/42");
    }

    @Test
    void routesOrdersToOrderService() {
        get("/api/orders?page=1").expectStatus().isOk().expectBody(String.class).isEqualTo("order-service /api/orders");
    }

    @Test
    void answersServiceUnavailableWhileNoInstanceOfTheServiceIsRegistered() {
        get("/api/users/me").expectStatus().isEqualTo(503);
    }

    @Test
    void neverRoutesActuatorEndpoints() {
        get("/actuator/health").expectStatus().isNotFound();
        get("/actuator/prometheus").expectStatus().isNotFound();
    }

    private WebTestClient.ResponseSpec get(String path) {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build().get().uri(path).exchange();
    }

    /** A stand-in for a service: answers every request with its name and the path it received. */
    private static HttpServer backend(String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = (name + " " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
