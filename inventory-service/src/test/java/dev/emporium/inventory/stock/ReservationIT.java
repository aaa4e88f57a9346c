package dev.emporium.inventory.stock;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

import dev.emporium.inventory.catalog.Catalog;
import dev.emporium.inventory.stock.Messages.CommitStock;
import dev.emporium.inventory.stock.Messages.LowStock;
import dev.emporium.inventory.stock.Messages.PricedLine;
import dev.emporium.inventory.stock.Messages.ReleaseStock;
import dev.emporium.inventory.stock.Messages.ReserveStock;
import dev.emporium.inventory.stock.Messages.StockChanged;
import dev.emporium.inventory.stock.Messages.StockReleased;
import dev.emporium.inventory.stock.Messages.StockReservationFailed;
import dev.emporium.inventory.stock.Messages.StockReserved;
import dev.emporium.messaging.Outbox;
import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.TestMessages;
import dev.emporium.testsupport.TopicRecords;
import dev.emporium.testsupport.TrustTestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reservations as the saga sees them: commands on inventory-commands, replies on order-saga-replies. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@RealInfrastructure(database = "inventory")
@TrustTestTokens
class ReservationIT {

    /** order-service's shape of the commands, as it will send them. */
    record ReserveStock(UUID orderId, List<PricedLine> lines, String currency) {
    }

    record ReleaseStock(UUID orderId, String reason) {
    }

    record CommitStock(UUID orderId) {
    }

    @Autowired
    Catalog catalog;

    @Autowired
    Inventory inventory;

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    KafkaAdmin admin;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    /** order-service owns and creates this topic; here nobody else does. */
    @BeforeEach
    void sagaRepliesTopicExists() {
        admin.createOrModifyTopics(TopicBuilder.name("order-saga-replies").partitions(3).replicas(1).build());
    }

    @Test
    void fiftyConcurrentReservationsOfOneUnitForStockOfTenReserveExactlyTenAndNeverGoBelowZero() throws Exception {
        UUID product = StockMother.productWithStock(catalog, inventory, 10);
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            orders.add(UUID.randomUUID());
        }

        ExecutorService shoppers = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (UUID order : orders) {
            done.add(shoppers.submit((Callable<Void>) () -> {
                transactions.executeWithoutResult(status -> inventory.reserve(order, List.of(new PricedLine(product, 1, null)), null));
                return null;
            }));
        }
        for (Future<?> each : done) {
            each.get(60, TimeUnit.SECONDS);
        }
        shoppers.shutdown();

        StockLevel level = inventory.level(product).orElseThrow();
        assertThat(level.available()).isZero();
        assertThat(level.reserved()).isEqualTo(10);
        try (TopicRecords replies = replies()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> answered(replies, orders) == 50);
            assertThat(orders.stream().filter(order -> reply(replies, order).equals("StockReserved")).count()).isEqualTo(10);
            assertThat(orders.stream().filter(order -> reply(replies, order).equals("StockReservationFailed")).count()).isEqualTo(40);
        }
        assertThat(inventory.audit()).extracting(AuditFinding::productId).doesNotContain(product);
    }

    @Test
    void fiftyReservationCommandsThroughKafkaReserveExactlyTheStockThereIs() {
        UUID product = StockMother.productWithStock(catalog, inventory, 10);
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            UUID order = UUID.randomUUID();
            orders.add(order);
            transactions.executeWithoutResult(status -> outbox.publish("inventory-commands", order.toString(), order.toString(),
                    new ReserveStock(order, List.of(new PricedLine(product, 1, null)), null)));
        }

        try (TopicRecords replies = replies()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> answered(replies, orders) == 50);
            assertThat(orders.stream().filter(order -> reply(replies, order).equals("StockReserved")).count()).isEqualTo(10);
        }
        assertThat(inventory.level(product).orElseThrow().available()).isZero();
    }

    @Test
    void reservesNothingWhenOneLineIsShortAndSaysWhichLine() {
        UUID plenty = StockMother.productWithStock(catalog, inventory, 50);
        UUID scarce = StockMother.productWithStock(catalog, inventory, 2);
        UUID order = UUID.randomUUID();

        transactions.executeWithoutResult(status -> inventory.reserve(order, List.of(new PricedLine(plenty, 5, null), new PricedLine(scarce, 3, null)), null));

        assertThat(inventory.level(plenty).orElseThrow().available()).isEqualTo(50);
        assertThat(inventory.level(scarce).orElseThrow().available()).isEqualTo(2);
        try (TopicRecords replies = replies()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !replies.withKey(order).isEmpty());
            TopicRecords.Message failed = replies.withKey(order).getFirst();
            assertThat(failed.type()).isEqualTo("StockReservationFailed");
            assertThat(failed.<List<String>>read("$.payload.shortfalls[*].productId")).containsExactly(scarce.toString());
            assertThat(failed.<Integer>read("$.payload.shortfalls[0].available")).isEqualTo(2);
        }
    }

    @Test
    void reservesAnOrderPlacedAtTheCataloguePriceAndRefusesOneWhosePriceChangedNamingTheProduct() {
        UUID product = StockMother.productWithStock(catalog, inventory, 10);
        UUID atTheRightPrice = UUID.randomUUID();
        UUID atAnOldPrice = UUID.randomUUID();

        transactions.executeWithoutResult(status -> inventory.reserve(atTheRightPrice, List.of(new PricedLine(product, 1, new BigDecimal("5.0"))), "EUR"));
        transactions.executeWithoutResult(status -> inventory.reserve(atAnOldPrice, List.of(new PricedLine(product, 1, new BigDecimal("4.50"))), "EUR"));

        assertThat(inventory.level(product).orElseThrow().reserved()).isEqualTo(1);
        try (TopicRecords replies = replies()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> answered(replies, List.of(atTheRightPrice, atAnOldPrice)) == 2);
            assertThat(replies.withKey(atTheRightPrice).getFirst().type()).isEqualTo("StockReserved");
            TopicRecords.Message refused = replies.withKey(atAnOldPrice).getFirst();
            assertThat(refused.type()).isEqualTo("StockReservationFailed");
            assertThat(refused.<String>read("$.payload.reason"))
                .isEqualTo("Prices changed after the order was placed: the price of Test product is now 5.00 EUR, not 4.50 EUR."
                        + " Nothing was charged; place the order again to buy at the new price.");
        }
    }

    @Test
    void theSameReserveCommandDeliveredTwiceReservesOnceAndReleaseTwiceReleasesOnce() {
        UUID product = StockMother.productWithStock(catalog, inventory, 10);
        UUID order = UUID.randomUUID();
        String reserve = envelope("ReserveStock", order, new ReserveStock(order, List.of(new PricedLine(product, 4, null)), null));
        String release = envelope("ReleaseStock", order, new ReleaseStock(order, "payment refused"));

        send(order, reserve);
        send(order, reserve);
        await().atMost(Duration.ofSeconds(30)).until(() -> inventory.level(product).orElseThrow().reserved() == 4);
        send(order, release);
        send(order, release);

        await().atMost(Duration.ofSeconds(30)).until(() -> inventory.level(product).orElseThrow().reserved() == 0);
        try (TopicRecords replies = replies()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> replies.withKey(order).size() >= 2);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> replies.withKey(order).stream().map(TopicRecords.Message::type).toList(),
                        types -> types.equals(List.of("StockReserved", "StockReleased")));
        }
        assertThat(inventory.level(product).orElseThrow().available()).isEqualTo(10);
    }

    @Test
    void commitTurnsAReservationIntoASaleAndALaterReleaseRestocksIt() {
        UUID product = StockMother.productWithStock(catalog, inventory, 10);
        UUID order = UUID.randomUUID();

        transactions.executeWithoutResult(status -> inventory.reserve(order, List.of(new PricedLine(product, 3, null)), null));
        transactions.executeWithoutResult(status -> inventory.commit(order));
        transactions.executeWithoutResult(status -> inventory.commit(order));
        StockLevel sold = inventory.level(product).orElseThrow();
        transactions.executeWithoutResult(status -> inventory.release(order, "order cancelled"));

        assertThat(sold).extracting(StockLevel::available, StockLevel::reserved, StockLevel::sold).containsExactly(7, 0, 3);
        assertThat(inventory.level(product).orElseThrow()).extracting(StockLevel::available, StockLevel::reserved, StockLevel::sold)
            .containsExactly(10, 0, 0);
    }

    @Test
    void aReleaseThatArrivesBeforeItsReservationMakesTheLateReservationFail() {
        UUID product = StockMother.productWithStock(catalog, inventory, 10);
        UUID order = UUID.randomUUID();

        transactions.executeWithoutResult(status -> inventory.release(order, "saga timed out"));
        transactions.executeWithoutResult(status -> inventory.reserve(order, List.of(new PricedLine(product, 1, null)), null));

        assertThat(inventory.level(product).orElseThrow().available()).isEqualTo(10);
        try (TopicRecords replies = replies()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> replies.withKey(order).size() == 2);
            assertThat(replies.withKey(order)).extracting(TopicRecords.Message::type).containsExactly("StockReleased", "StockReservationFailed");
        }
    }

    @Test
    void refusesReservationsWithoutLinesOrWithNonPositiveQuantitiesAndChangesNothing() {
        UUID product = StockMother.productWithStock(catalog, inventory, 10);
        UUID negative = UUID.randomUUID();
        UUID empty = UUID.randomUUID();

        transactions.executeWithoutResult(status -> inventory.reserve(negative, List.of(new PricedLine(product, -3, null)), null));
        transactions.executeWithoutResult(status -> inventory.reserve(empty, List.of(), null));

        assertThat(inventory.level(product).orElseThrow().available()).isEqualTo(10);
        try (TopicRecords replies = replies()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> replies.withKey(negative).size() == 1 && replies.withKey(empty).size() == 1);
            assertThat(replies.withKey(negative).getFirst().<String>read("$.payload.reason")).contains("must be positive");
            assertThat(replies.withKey(empty).getFirst().type()).isEqualTo("StockReservationFailed");
        }
    }

    @Test
    void publishesEachStockChangeAndALowStockWarningWhenAvailableStockFallsToTheThreshold() {
        UUID product = StockMother.productWithStock(catalog, inventory, 7);
        admin.createOrModifyTopics(TopicBuilder.name("inventory-events").partitions(3).replicas(1).build());

        transactions.executeWithoutResult(status -> inventory.reserve(UUID.randomUUID(), List.of(new PricedLine(product, 1, null)), null));
        transactions.executeWithoutResult(status -> inventory.reserve(UUID.randomUUID(), List.of(new PricedLine(product, 2, null)), null));
        transactions.executeWithoutResult(status -> inventory.reserve(UUID.randomUUID(), List.of(new PricedLine(product, 1, null)), null));

        try (TopicRecords events = new TopicRecords(bootstrapServers, "inventory-events")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> events.withKey(product).size() == 5);
            assertThat(events.withKey(product)).extracting(TopicRecords.Message::type)
                .containsExactly("StockChanged", "StockChanged", "StockChanged", "LowStock", "StockChanged");
            assertThat(events.withKey(product).get(3).<Integer>read("$.payload.available")).isEqualTo(4);
            // each StockChanged carries the stock as its change left it (what the update returned)
            List<TopicRecords.Message> changes = events.withKey(product).stream().filter(event -> event.type().equals("StockChanged")).toList();
            assertThat(changes).extracting(event -> event.<Integer>read("$.payload.available")).containsExactly(7, 6, 4, 3);
            assertThat(changes).extracting(event -> event.<Integer>read("$.payload.reserved")).containsExactly(0, 1, 3, 4);
        }
    }

    @Test
    void theAuditFindsNothingWhenTheBooksAreSoundAndTheProductWhoseRowWasCorruptedByHand() {
        UUID product = StockMother.productWithStock(catalog, inventory, 10);
        assertThat(inventory.audit()).isEmpty();

        jdbc.sql("update stock set available = available + 1 where product_id = :id").param("id", product).update();
        try {
            assertThat(inventory.audit()).extracting(AuditFinding::productId).containsExactly(product);
        }
        finally {
            jdbc.sql("update stock set available = available - 1 where product_id = :id").param("id", product).update();
        }
        assertThat(inventory.audit()).isEmpty();
    }

    private TopicRecords replies() {
        return new TopicRecords(bootstrapServers, "order-saga-replies");
    }

    private static long answered(TopicRecords replies, List<UUID> orders) {
        List<TopicRecords.Message> all = replies.poll();
        return orders.stream().filter(order -> all.stream().anyMatch(message -> order.toString().equals(message.key()))).count();
    }

    private static String reply(TopicRecords replies, UUID order) {
        return replies.readWithKey(order).getFirst().type();
    }

    private String envelope(String type, UUID order, Object payload) {
        return TestMessages.envelope(type, order, payload);
    }

    private void send(UUID order, String envelope) {
        TestMessages.send(bootstrapServers, "inventory-commands", order, envelope);
    }
}
