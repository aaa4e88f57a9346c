package dev.emporium.order.saga;

import java.time.Duration;
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
import org.springframework.http.HttpHeaders;
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
 * Load shedding against the real database: with two orders waiting for their saga (the limit here),
 * a third is refused at once with a 503 that says when to come back, writes nothing, and is taken once
 * a saga has decided.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "emporium.orders.admission.max-pending=2", "emporium.saga.step-timeout=5m" })
@ActiveProfiles("test")
@RealInfrastructure(database = "orders_admission")
@TrustTestTokens
class OrderAdmissionIT {

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
    void refusesANewOrderWhileTheLimitIsPendingAndTakesItOnceASagaDecides() {
        String firstKey = UUID.randomUUID().toString();
        ResponseEntity<String> first = place(firstKey);
        ResponseEntity<String> second = place(UUID.randomUUID().toString());
        assertThat(List.of(first.getStatusCode().value(), second.getStatusCode().value())).containsExactly(201, 201);
        String thirdKey = UUID.randomUUID().toString();

        ResponseEntity<String> refused = place(thirdKey);

        assertThat(refused.getStatusCode().value()).isEqualTo(503);
        assertThat(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(refused.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(JsonPath.<String>read(refused.getBody(), "$.detail")).contains("the limit is 2", "nothing was ordered");
        assertThat(meters.get("emporium.orders.shed").tag("limit", "admission").counter().count()).isPositive();
        assertThat(JsonPath.<Integer>read(http().get("/api/orders", token).getBody(), "$.page.totalElements"))
            .as("the refused order wrote nothing").isEqualTo(2);
        ResponseEntity<String> retried = place(firstKey);
        assertThat(retried.getStatusCode().value()).as("a retry of an order already taken is answered while full").isEqualTo(200);
        assertThat(JsonPath.<String>read(retried.getBody(), "$.id")).isEqualTo(JsonPath.read(first.getBody(), "$.id"));

        UUID decided = UUID.fromString(JsonPath.read(first.getBody(), "$.id"));
        TestMessages.send(bootstrapServers, "order-saga-replies", decided, TestMessages.envelope("StockReservationFailed", decided,
                Map.of("orderId", decided, "reason", "Not enough stock for every line")));

        ResponseEntity<String> taken = await().atMost(Duration.ofSeconds(30)).until(() -> place(thirdKey),
                answer -> answer.getStatusCode().value() != 503);
        assertThat(taken.getStatusCode().value()).as(taken.getBody()).isEqualTo(201);
        assertThat(place(UUID.randomUUID().toString()).getStatusCode().value()).as("two are pending again").isEqualTo(503);
    }

    private ResponseEntity<String> place(String key) {
        return http().withHeader("Idempotency-Key", key)
            .post("/api/orders", token, Map.of("lines", List.of(Map.of("productId", product, "quantity", 1))));
    }

    private TestHttp http() {
        return TestHttp.localPort(port);
    }
}
