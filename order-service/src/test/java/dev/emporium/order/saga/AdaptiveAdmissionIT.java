package dev.emporium.order.saga;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.TestHttp;
import dev.emporium.testsupport.TestMessages;
import dev.emporium.testsupport.TestTokens;
import dev.emporium.testsupport.TrustTestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The adaptive admission limit, fed by the saga's real decisions: with a target no decision can meet
 * (1 ms), every second of decisions shrinks the limit by a tenth.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "emporium.orders.admission.decision-target=1ms", "emporium.saga.step-timeout=5m" })
@ActiveProfiles("test")
@RealInfrastructure(database = "orders_adaptive_admission")
@TrustTestTokens
class AdaptiveAdmissionIT {

    /** More than the 10 decisions a second that the limit needs before it judges one. */
    static final int DECISIONS_PER_BURST = 15;

    static final StubInventory inventory = new StubInventory();

    @DynamicPropertySource
    static void stubInventory(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.discovery.client.simple.instances.inventory-service[0].uri", inventory::uri);
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    final UUID customer = UUID.randomUUID();
    final String token = TestTokens.customer(customer);
    final UUID product = inventory.product("3.00");

    @Test
    void slowDecisionsShrinkTheLimit() {
        assertThat(limit()).isEqualTo(100);

        // bursts of decisions (more than 10 within a second, the fewest a second is judged by) until one is judged
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            decideOrders(DECISIONS_PER_BURST);
            return limit() < 100;
        });

        assertThat(limit()).as("a tenth less for each second judged").isIn(90.0, 81.0);
    }

    /**
     * Places orders, then has inventory-service refuse all of them at once: the saga rejects them, a decision
     * each, within one poll. (Placing an order and refusing it in turn takes long enough on a slow machine
     * that fewer than 10 decisions a second would be made, and no second would be judged.)
     */
    private void decideOrders(int orders) {
        Map<UUID, String> refusals = new LinkedHashMap<>();
        for (int i = 0; i < orders; i++) {
            ResponseEntity<String> placed = http().withHeader("Idempotency-Key", UUID.randomUUID().toString())
                .post("/api/orders", token, Map.of("lines", List.of(Map.of("productId", product, "quantity", 1))));
            assertThat(placed.getStatusCode().value()).as(placed.getBody()).isEqualTo(201);
            UUID order = UUID.fromString(JsonPath.read(placed.getBody(), "$.id"));
            refusals.put(order, TestMessages.envelope("StockReservationFailed", order,
                    Map.of("orderId", order, "reason", "Not enough stock for every line")));
        }
        TestMessages.sendAll(bootstrapServers, "order-saga-replies", refusals);
    }

    private double limit() {
        return meters.get("emporium.orders.admission.limit").gauge().value();
    }

    private TestHttp http() {
        return TestHttp.localPort(port);
    }
}
