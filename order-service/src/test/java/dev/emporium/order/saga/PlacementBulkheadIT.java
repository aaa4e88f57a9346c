package dev.emporium.order.saga;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.TestHttp;
import dev.emporium.testsupport.TestTokens;
import dev.emporium.testsupport.TrustTestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bulkhead of placements under way at once (one here): while one order is being placed, the next
 * is refused at once with a 503 that says when to come back, and writes nothing, instead of queueing
 * for the CPU and the database pool.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "resilience4j.bulkhead.instances.order-placement.max-concurrent-calls=1")
@ActiveProfiles("test")
@RealInfrastructure(database = "orders_placement")
@TrustTestTokens
class PlacementBulkheadIT {

    static final StubInventory inventory = new StubInventory();

    @DynamicPropertySource
    static void stubInventory(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.discovery.client.simple.instances.inventory-service[0].uri", inventory::uri);
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    final String token = TestTokens.customer(UUID.randomUUID());

    @Test
    void refusesAPlacementAtOnceWhileTheBulkheadIsFullAndWritesNothing() throws Exception {
        CountDownLatch pricing = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        // not in the price list yet: its placement asks the stand-in inventory-service, and is held there
        UUID held = inventory.product("3.00");
        inventory.whilePricing = () -> {
            pricing.countDown();
            try {
                answer.await(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try {
            CompletableFuture<ResponseEntity<String>> first = CompletableFuture.supplyAsync(() -> place(held));
            assertThat(pricing.await(10, TimeUnit.SECONDS)).as("the first placement reached the pricing call").isTrue();

            long started = System.nanoTime();
            ResponseEntity<String> refused = place(inventory.product("4.00"));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            answer.countDown();

            assertThat(refused.getStatusCode().value()).as(refused.getBody()).isEqualTo(503);
            assertThat(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
            assertThat(JsonPath.<String>read(refused.getBody(), "$.detail")).contains("as many orders as it can at once (1)",
                    "nothing was ordered");
            assertThat(took).as("refused at once, not queued").isLessThan(Duration.ofSeconds(1));
            assertThat(meters.get("emporium.orders.shed").tag("limit", "placements").counter().count()).isEqualTo(1);
            assertThat(first.get(10, TimeUnit.SECONDS).getStatusCode().value()).isEqualTo(201);
            assertThat(JsonPath.<Integer>read(TestHttp.localPort(port).get("/api/orders", token).getBody(), "$.page.totalElements"))
                .as("only the first was written").isEqualTo(1);
        }
        finally {
            answer.countDown();
            inventory.whilePricing = () -> {
            };
        }
    }

    private ResponseEntity<String> place(UUID product) {
        return TestHttp.localPort(port).withHeader("Idempotency-Key", UUID.randomUUID().toString())
            .post("/api/orders", token, Map.of("lines", List.of(Map.of("productId", product, "quantity", 1))));
    }
}
