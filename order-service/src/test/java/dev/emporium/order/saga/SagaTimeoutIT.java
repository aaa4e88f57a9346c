package dev.emporium.order.saga;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.TestHttp;
import dev.emporium.testsupport.TestTokens;
import dev.emporium.testsupport.TopicRecords;
import dev.emporium.testsupport.TrustTestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nobody answers: the saga sends the steps it awaits again, then gives up, compensates every step and
 * rejects the order.
 * Short timeouts, and a database and reply listener of this test's own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "emporium.saga.step-timeout=500ms",
        "emporium.saga.attempts=2", "emporium.saga.timeout-check-interval=200ms", "spring.kafka.listener.auto-startup=false" })
@ActiveProfiles("test")
@RealInfrastructure(database = "orders_timeout")
@TrustTestTokens
class SagaTimeoutIT {

    static final StubInventory inventory = new StubInventory();

    @DynamicPropertySource
    static void stubInventory(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.discovery.client.simple.instances.inventory-service[0].uri", inventory::uri);
    }

    @LocalServerPort
    int port;

    @Autowired
    KafkaAdmin admin;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Test
    void retriesASilentStepThenCompensatesAndRejects() {
        admin.createOrModifyTopics(TopicBuilder.name("inventory-commands").partitions(3).replicas(1).build(),
                TopicBuilder.name("user-commands").partitions(3).replicas(1).build());
        String token = TestTokens.customer(UUID.randomUUID());
        TestHttp http = TestHttp.localPort(port);
        String order = http.withHeader("Idempotency-Key", UUID.randomUUID().toString())
            .post("/api/orders", token, Map.of("lines", List.of(Map.of("productId", inventory.product("2.00"), "quantity", 1))))
            .getBody();
        String id = JsonPath.read(order, "$.id");

        await().atMost(Duration.ofSeconds(30)).until(() -> JsonPath.read(http.get("/api/orders/" + id, token).getBody(), "$.status"),
                "REJECTED"::equals);
        assertThat(JsonPath.<String>read(http.get("/api/orders/" + id, token).getBody(), "$.reason"))
            .isEqualTo("inventory-service and user-service did not answer in time; nothing was charged");
        try (TopicRecords stock = new TopicRecords(bootstrapServers, "inventory-commands");
                TopicRecords credit = new TopicRecords(bootstrapServers, "user-commands")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> stock.withKey(id).stream().map(TopicRecords.Message::type).toList(),
                    List.of("ReserveStock", "ReserveStock", "ReleaseStock")::equals);
            await().atMost(Duration.ofSeconds(30)).until(() -> credit.withKey(id).stream().map(TopicRecords.Message::type).toList(),
                    List.of("ReserveCredit", "ReserveCredit", "ReleaseCredit")::equals);
        }
    }
}
