package dev.emporium.inventory.stock;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

import dev.emporium.inventory.catalog.Catalog;
import dev.emporium.inventory.stock.Messages.PricedLine;
import dev.emporium.inventory.stock.Messages.StockReservationExpired;
import dev.emporium.inventory.stock.Messages.StockReserved;
import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.TopicRecords;
import dev.emporium.testsupport.TrustTestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reservation nobody commits gives its stock back after its time to live, and order-service is
 * told. A database of its own, a one-second TTL, and no command listener (so this context takes no
 * commands meant for the other tests).
 */
@SpringBootTest(properties = { "emporium.inventory.reservation-ttl=1s", "emporium.inventory.expiry-check-interval=200ms",
        "spring.kafka.listener.auto-startup=false" })
@ActiveProfiles("test")
@RealInfrastructure(database = "inventory_expiry")
@TrustTestTokens
class ReservationExpiryIT {

    @Autowired
    Catalog catalog;

    @Autowired
    Inventory inventory;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    KafkaAdmin admin;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Test
    void anExpiredReservationReturnsItsStockAndTellsTheOrderSide() {
        UUID product = StockMother.productWithStock(catalog, inventory, 10);
        UUID order = UUID.randomUUID();
        admin.createOrModifyTopics(TopicBuilder.name("order-saga-replies").partitions(3).replicas(1).build());

        transactions.executeWithoutResult(status -> inventory.reserve(order, List.of(new PricedLine(product, 4, null)), null));
        assertThat(inventory.level(product).orElseThrow().available()).isEqualTo(6);

        await().atMost(Duration.ofSeconds(15)).until(() -> inventory.level(product).orElseThrow().available() == 10);
        try (TopicRecords replies = new TopicRecords(bootstrapServers, "order-saga-replies")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> replies.withKey(order).size() == 2);
            assertThat(replies.withKey(order)).extracting(TopicRecords.Message::type)
                .containsExactly("StockReserved", "StockReservationExpired");
        }
        transactions.executeWithoutResult(status -> inventory.commit(order));
        assertThat(inventory.level(product).orElseThrow().sold()).as("a commit after expiry sells nothing").isZero();
        assertThat(inventory.audit()).isEmpty();
    }
}
