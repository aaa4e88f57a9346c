package dev.emporium.order.saga;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.jayway.jsonpath.JsonPath;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.TestMessages;
import dev.emporium.testsupport.TestTokens;
import dev.emporium.testsupport.TopicRecords;
import dev.emporium.testsupport.TrustTestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The orchestrator on its own: orders placed over HTTP (priced by a stand-in inventory-service), the
 * participants' replies put on order-saga-replies by the test, and what the saga sends read back
 * from the command topics. The whole flow across the real services is in the launcher's test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@RealInfrastructure(database = "orders_saga")
@TrustTestTokens
class PlaceOrderSagaIT {

    static final StubInventory inventory = new StubInventory();

    @DynamicPropertySource
    static void stubInventory(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.discovery.client.simple.instances.inventory-service[0].uri", inventory::uri);
    }

    @LocalServerPort
    int port;

    @Autowired
    KafkaAdmin admin;

    @Autowired
    CircuitBreakerRegistry breakers;

    @Autowired
    MeterRegistry meters;

    @Autowired
    DataSource dataSource;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    final UUID customer = UUID.randomUUID();
    final String token = TestTokens.customer(customer);

    @BeforeEach
    void topics() {
        for (String topic : List.of("inventory-commands", "user-commands", "order-events", "order-saga-replies")) {
            admin.createOrModifyTopics(TopicBuilder.name(topic).partitions(3).replicas(1).build());
        }
        // One partition, as the test broker creates it when the price list's consumer subscribes first:
        // partitions added later would reach that consumer only at its next metadata refresh, minutes on.
        admin.createOrModifyTopics(TopicBuilder.name("inventory-prices").partitions(1).replicas(1).build());
        inventory.down.set(false);
        breakers.circuitBreaker("inventory-pricing").reset();
    }

    /**
     * While inventory-service prices an order, no transaction of that order is open in PostgreSQL: a
     * slow pricing (up to a second per attempt, three attempts) would otherwise keep a pooled
     * connection, and ten of them the whole pool.
     */
    @Test
    void pricesAnOrderWithoutHoldingADatabaseConnection() {
        UUID product = inventory.product("4.00");
        List<String> openWhilePricing = new CopyOnWriteArrayList<>();
        AtomicInteger pricings = new AtomicInteger();
        inventory.whilePricing = () -> {
            pricings.incrementAndGet();
            // what an open transaction of the placement would have run last: the key lookup, or the count of PENDING orders
            openWhilePricing.addAll(JdbcClient.create(dataSource).sql("""
                    select state || ': ' || query from pg_stat_activity
                    where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'
                      and (query like '%idempotency_keys%' or query like '%status = ''PENDING''%')""")
                .query(String.class).list());
        };
        try {
            ResponseEntity<String> placed = place(UUID.randomUUID().toString(), product, 1);

            assertThat(placed.getStatusCode().value()).as(placed.getBody()).isEqualTo(201);
            assertThat(pricings).as("pricing calls to the stand-in inventory-service").hasValue(1);
            assertThat(openWhilePricing).as("transactions of the placement left open while it was priced").isEmpty();
        } finally {
            inventory.whilePricing = () -> {
            };
        }
    }

    /**
     * An order is priced from the price list that inventory-service's {@code ProductPriced} events keep,
     * without a call (the stand-in inventory-service does not know this product: a call would make the
     * order a 400), the newest version winning over one delivered late; {@code ReserveStock} carries the
     * prices, for the reservation to confirm.
     */
    @Test
    void pricesFromThePriceListKeptByInventorysEventsAndSendsThePricesForTheReservationToConfirm() {
        UUID product = UUID.randomUUID();
        announcePrice(product, "7.00", 3);
        String late = announcePrice(product, "6.00", 2);
        JdbcClient database = JdbcClient.create(dataSource);
        await().atMost(Duration.ofSeconds(30)).until(() -> database.sql("select count(*) from inbox where message_id = :id")
            .param("id", UUID.fromString(late)).query(Long.class).single() == 1);

        ResponseEntity<String> placed = place(UUID.randomUUID().toString(), product, 2);

        assertThat(placed.getStatusCode().value()).as(placed.getBody()).isEqualTo(201);
        assertThat(JsonPath.<Double>read(placed.getBody(), "$.lines[0].unitPrice")).isEqualTo(7.0);
        UUID order = UUID.fromString(JsonPath.read(placed.getBody(), "$.id"));
        try (TopicRecords stock = records("inventory-commands")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !stock.withKey(order).isEmpty());
            TopicRecords.Message reserve = stock.readWithKey(order).getFirst();
            assertThat(reserve.<Double>read("$.payload.lines[0].unitPrice")).isEqualTo(7.0);
            assertThat(reserve.<String>read("$.payload.currency")).isEqualTo("EUR");
        }
    }

    /**
     * Stock and credit are asked for together, as the order is placed; the order waits for both
     * replies, whichever comes first, then is confirmed and both reservations committed.
     */
    @Test
    void reservesStockAndCreditInParallelAndConfirmsOnceBothAreReserved() {
        UUID product = inventory.product("12.50");

        ResponseEntity<String> placed = place(UUID.randomUUID().toString(), product, 2);
        String id = JsonPath.read(placed.getBody(), "$.id");
        UUID order = UUID.fromString(id);

        assertThat(placed.getStatusCode().value()).isEqualTo(201);
        assertThat(placed.getHeaders().getLocation()).hasToString("/api/orders/" + id);
        assertThat(JsonPath.<String>read(placed.getBody(), "$.status")).isEqualTo("PENDING");
        assertThat(JsonPath.<Double>read(placed.getBody(), "$.total.amount")).isEqualTo(25.0);
        assertThat(JsonPath.<Double>read(placed.getBody(), "$.lines[0].unitPrice")).isEqualTo(12.5);
        try (TopicRecords stock = records("inventory-commands"); TopicRecords credit = records("user-commands");
                TopicRecords events = records("order-events")) {
            // both commands leave before any reply
            await().atMost(Duration.ofSeconds(30)).until(() -> types(stock, order).equals(List.of("ReserveStock"))
                    && types(credit, order).equals(List.of("ReserveCredit")));
            assertThat(credit.readWithKey(order).getFirst().<Double>read("$.payload.amount")).isEqualTo(25.0);

            reply("CreditReserved", order, Map.of("orderId", order));
            await().atMost(Duration.ofSeconds(30))
                .until(() -> JsonPath.<List<String>>read(timeline(id), "$[*].event").contains("received CreditReserved"));
            assertThat(status(id)).as("one of two steps done").isEqualTo("PENDING");
            reply("StockReserved", order, Map.of("orderId", order));

            await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("CONFIRMED"));
            await().atMost(Duration.ofSeconds(30)).until(() -> types(stock, order).equals(List.of("ReserveStock", "CommitStock"))
                    && types(credit, order).equals(List.of("ReserveCredit", "CommitCredit"))
                    && types(events, order).equals(List.of("OrderConfirmed")));
        }
        assertThat(meters.get("emporium.saga.step").tag("step", "RESERVE_STOCK").tag("reply", "StockReserved").timer().count())
            .isPositive();
        assertThat(meters.get("emporium.saga.step").tag("step", "RESERVE_CREDIT").tag("reply", "CreditReserved").timer().count())
            .isPositive();
        await().atMost(Duration.ofSeconds(30))
            .until(() -> meters.get("emporium.orders").tag("status", "CONFIRMED").gauge().value() >= 1);
        String timeline = timeline(id);
        assertThat(JsonPath.<List<String>>read(timeline, "$[0:2].step")).containsExactly("RESERVE_STOCK", "RESERVE_CREDIT");
        assertThat(JsonPath.<List<String>>read(timeline, "$[0:2].event")).containsExactly("sent ReserveStock", "sent ReserveCredit");
        assertThat(JsonPath.<List<String>>read(timeline, "$[*].event")).contains("received CreditReserved", "received StockReserved",
                "sent CommitStock", "sent CommitCredit", "sent OrderConfirmed", "order CONFIRMED");
    }

    @Test
    void aReadThatWaitsIsAnsweredWhenTheSagaDecidesNotBefore() {
        String id = JsonPath.read(place(UUID.randomUUID().toString(), inventory.product("2.00"), 1).getBody(), "$.id");
        UUID order = UUID.fromString(id);
        java.util.concurrent.CompletableFuture<ResponseEntity<String>> waiting = java.util.concurrent.CompletableFuture
            .supplyAsync(() -> http().get("/api/orders/" + id + "?wait=20", token));

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
        reply("StockReserved", order, Map.of("orderId", order));
        reply("CreditReserved", order, Map.of("orderId", order));

        // answered when decided, long before the 20 s the client offered to wait
        await().atMost(Duration.ofSeconds(10)).until(waiting::isDone);
        assertThat(waiting.join().getStatusCode().value()).isEqualTo(200);
        assertThat(JsonPath.<String>read(waiting.join().getBody(), "$.status")).isEqualTo("CONFIRMED");
        // a decided order is answered at once, whatever the wait
        assertThat(JsonPath.<String>read(http().get("/api/orders/" + id + "?wait=20", token).getBody(), "$.status")).isEqualTo("CONFIRMED");
    }

    @Test
    void aReadThatWaitsAnswersPendingWhenItsTimeIsUpAndRefusesLongWaitsAndOtherShoppersOrders() {
        String id = JsonPath.read(place(UUID.randomUUID().toString(), inventory.product("2.00"), 1).getBody(), "$.id");

        long started = System.nanoTime();
        ResponseEntity<String> pending = http().get("/api/orders/" + id + "?wait=1", token);
        assertThat(pending.getStatusCode().value()).isEqualTo(200);
        assertThat(JsonPath.<String>read(pending.getBody(), "$.status")).isEqualTo("PENDING");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));

        assertThat(http().get("/api/orders/" + id + "?wait=21", token).getStatusCode().value()).isEqualTo(400);
        assertThat(http().get("/api/orders/" + id + "?wait=soon", token).getStatusCode().value()).isEqualTo(400);
        assertThat(http().get("/api/orders/" + id + "?wait=5", TestTokens.customer(UUID.randomUUID())).getStatusCode().value())
            .isEqualTo(404);
    }

    @Test
    void rejectsAnOrderWhoseStockIsRefusedWithTheReason() {
        UUID order = UUID.fromString(JsonPath.read(place(UUID.randomUUID().toString(), inventory.product("5.00"), 9).getBody(), "$.id"));

        reply("StockReservationFailed", order, Map.of("orderId", order, "reason", "Not enough stock for every line"));

        await().atMost(Duration.ofSeconds(30)).until(() -> status(order.toString()).equals("REJECTED"));
        assertThat(JsonPath.<String>read(http().get("/api/orders/" + order, token).getBody(), "$.reason"))
            .isEqualTo("Not enough stock for every line");
        try (TopicRecords credit = records("user-commands")) {
            // the credit asked for in parallel is given back
            await().atMost(Duration.ofSeconds(30)).until(() -> types(credit, order).equals(List.of("ReserveCredit", "ReleaseCredit")));
        }
    }

    /**
     * A refusal naming many products whose prices changed can be longer than an order keeps: the order
     * is still rejected, with the reason cut, instead of its write failing until the reply is dead-lettered.
     */
    @Test
    void rejectsWithAReasonLongerThanAnOrderKeepsCutToFit() {
        UUID order = UUID.fromString(JsonPath.read(place(UUID.randomUUID().toString(), inventory.product("5.00"), 1).getBody(), "$.id"));
        String longReason = "Prices changed after the order was placed: " + "the price of a long-named product is now 5.00 EUR, not 4.00 EUR; ".repeat(20);

        reply("StockReservationFailed", order, Map.of("orderId", order, "reason", longReason));

        await().atMost(Duration.ofSeconds(30)).until(() -> status(order.toString()).equals("REJECTED"));
        String reason = JsonPath.read(http().get("/api/orders/" + order, token).getBody(), "$.reason");
        assertThat(reason).hasSize(dev.emporium.order.checkout.Order.MAX_REASON).startsWith("Prices changed after the order was placed").endsWith("…");
    }

    /**
     * Found by the chaos run: the first ReserveStock was refused (no stock), a retry sent while
     * inventory-service was down was granted once stock came back. The order is REJECTED, so the
     * late reservation must be given back, not held until it expires.
     */
    @Test
    void releasesAReservationThatArrivesAfterTheOrderWasRejected() {
        UUID order = UUID.fromString(JsonPath.read(place(UUID.randomUUID().toString(), inventory.product("5.00"), 2).getBody(), "$.id"));
        reply("StockReservationFailed", order, Map.of("orderId", order, "reason", "Not enough stock for every line"));
        await().atMost(Duration.ofSeconds(30)).until(() -> status(order.toString()).equals("REJECTED"));

        try (TopicRecords stock = records("inventory-commands"); TopicRecords credit = records("user-commands")) {
            reply("StockReserved", order, Map.of("orderId", order));
            reply("CreditReserved", order, Map.of("orderId", order));
            // the credit was given back when the stock was refused, and again when its late reservation came
            await().atMost(Duration.ofSeconds(30)).until(() -> types(stock, order).equals(List.of("ReserveStock", "ReleaseStock"))
                    && types(credit, order).equals(List.of("ReserveCredit", "ReleaseCredit", "ReleaseCredit")));
        }
        assertThat(status(order.toString())).isEqualTo("REJECTED");
    }

    @Test
    void givesTheStockBackAndRejectsWhenTheCreditIsRefused() {
        UUID order = UUID.fromString(JsonPath.read(place(UUID.randomUUID().toString(), inventory.product("900.00"), 2).getBody(), "$.id"));

        reply("StockReserved", order, Map.of("orderId", order));
        try (TopicRecords credit = records("user-commands"); TopicRecords stock = records("inventory-commands")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> types(credit, order).equals(List.of("ReserveCredit")));
            reply("CreditReservationFailed", order, Map.of("orderId", order, "reason", "Not enough credit: 1000.00 EUR available"));
            await().atMost(Duration.ofSeconds(30)).until(() -> types(stock, order).equals(List.of("ReserveStock", "ReleaseStock")));
        }
        assertThat(status(order.toString())).isEqualTo("REJECTED");
        assertThat(JsonPath.<String>read(http().get("/api/orders/" + order, token).getBody(), "$.reason")).contains("credit");
    }

    @Test
    void rejectsAndGivesTheCreditBackWhenTheStockReservationExpiresWhileCreditIsReserved() {
        UUID order = UUID.fromString(JsonPath.read(place(UUID.randomUUID().toString(), inventory.product("8.00"), 1).getBody(), "$.id"));
        reply("StockReserved", order, Map.of("orderId", order));
        try (TopicRecords credit = records("user-commands")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> types(credit, order).equals(List.of("ReserveCredit")));

            reply("StockReservationExpired", order, Map.of("orderId", order));

            await().atMost(Duration.ofSeconds(30)).until(() -> types(credit, order).equals(List.of("ReserveCredit", "ReleaseCredit")));
        }
        assertThat(status(order.toString())).isEqualTo("REJECTED");
        reply("CreditReserved", order, Map.of("orderId", order));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> status(order.toString()).equals("REJECTED"));
    }

    @Test
    void cancellingAConfirmedOrderReleasesStockAndCreditAndCancellingAgainChangesNothing() {
        UUID order = UUID.fromString(JsonPath.read(place(UUID.randomUUID().toString(), inventory.product("3.00"), 1).getBody(), "$.id"));
        reply("StockReserved", order, Map.of("orderId", order));
        try (TopicRecords credit = records("user-commands"); TopicRecords stock = records("inventory-commands")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> types(credit, order).equals(List.of("ReserveCredit")));
            reply("CreditReserved", order, Map.of("orderId", order));
            await().atMost(Duration.ofSeconds(30)).until(() -> status(order.toString()).equals("CONFIRMED"));

            ResponseEntity<String> cancelled = http().post("/api/orders/" + order + "/cancel", token, null);
            ResponseEntity<String> again = http().post("/api/orders/" + order + "/cancel", token, null);

            assertThat(JsonPath.<String>read(cancelled.getBody(), "$.status")).isEqualTo("CANCELLED");
            assertThat(again.getStatusCode().value()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> types(stock, order).equals(List.of("ReserveStock", "CommitStock", "ReleaseStock"))
                    && types(credit, order).equals(List.of("ReserveCredit", "CommitCredit", "ReleaseCredit")));
        }
    }

    /**
     * A cancellation that arrives while the saga's decision of the same order is being written (here the
     * decision's transaction is held open by hand) waits for it and cancels the confirmed order, instead
     * of failing on the version the decision changed.
     */
    @Test
    void aCancellationDuringTheDecisionWaitsForItInsteadOfFailing() throws Exception {
        UUID order = UUID.fromString(JsonPath.read(place(UUID.randomUUID().toString(), inventory.product("5.00"), 1).getBody(), "$.id"));

        ResponseEntity<String> answer = cancelWhileADecisionIsHeld(order, deciding -> confirmByHand(deciding, order), deciding -> { });

        assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(200);
        assertThat(JsonPath.<String>read(answer.getBody(), "$.status")).isEqualTo("CANCELLED");
    }

    /**
     * The saga locks an order's saga row and then writes the order; a cancellation arriving in between
     * takes the locks in the same order, so the two never wait for each other (a deadlock PostgreSQL
     * would break by failing one of them).
     */
    @Test
    void aCancellationTakesTheLocksInTheSagasOrder() throws Exception {
        UUID order = UUID.fromString(JsonPath.read(place(UUID.randomUUID().toString(), inventory.product("5.00"), 1).getBody(), "$.id"));

        ResponseEntity<String> answer = cancelWhileADecisionIsHeld(order, deciding -> {
            try (var lockSaga = deciding.prepareStatement("select order_id from order_sagas where order_id = ? for update")) {
                lockSaga.setObject(1, order);
                assertThat(lockSaga.executeQuery().next()).as("the order's saga row").isTrue();
            }
        }, deciding -> confirmByHand(deciding, order));

        assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(200);
        assertThat(JsonPath.<String>read(answer.getBody(), "$.status")).isEqualTo("CANCELLED");
    }

    /** What a test's own transaction does, standing in for the saga's. */
    @FunctionalInterface
    private interface ByHand {
        void run(java.sql.Connection deciding) throws java.sql.SQLException;
    }

    /**
     * Cancels the order while a transaction of the test's own stands in for a saga deciding it: {@code first}
     * runs in it before the cancellation is sent, {@code thenWhileItWaits} once the cancellation waits for
     * a lock, then it commits; the cancellation's answer.
     */
    private ResponseEntity<String> cancelWhileADecisionIsHeld(UUID order, ByHand first, ByHand thenWhileItWaits) throws Exception {
        JdbcClient database = JdbcClient.create(dataSource);
        try (java.sql.Connection deciding = dataSource.getConnection(); ExecutorService caller = Executors.newSingleThreadExecutor()) {
            deciding.setAutoCommit(false);
            first.run(deciding);
            Future<ResponseEntity<String>> cancelled = caller.submit(() -> http().post("/api/orders/" + order + "/cancel", token, null));
            await().atMost(Duration.ofSeconds(10)).until(() -> database.sql("""
                    select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%order%'""")
                .query(Long.class).single() > 0);
            thenWhileItWaits.run(deciding);
            deciding.commit();
            return cancelled.get(30, TimeUnit.SECONDS);
        }
    }

    /** The saga's decision, written by hand: CONFIRMED, with the version it bumps. */
    private static void confirmByHand(java.sql.Connection deciding, UUID order) throws java.sql.SQLException {
        try (var confirm = deciding.prepareStatement("update orders set status = 'CONFIRMED', version = version + 1 where id = ?")) {
            confirm.setObject(1, order);
            assertThat(confirm.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void theSameIdempotencyKeyPostedFiveTimesAtOnceMakesOneOrderAndAnotherBodyIsRefused() throws Exception {
        UUID product = inventory.product("4.00");
        String key = UUID.randomUUID().toString();

        ExecutorService clients = Executors.newFixedThreadPool(5);
        List<Future<ResponseEntity<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(clients.submit((Callable<ResponseEntity<String>>) () -> place(key, product, 1)));
        }
        List<String> ids = new ArrayList<>();
        List<String> placedAt = new ArrayList<>();
        for (Future<ResponseEntity<String>> answer : answers) {
            ResponseEntity<String> response = answer.get(30, TimeUnit.SECONDS);
            assertThat(response.getStatusCode().value()).as(response.getBody()).isIn(200, 201);
            ids.add(JsonPath.read(response.getBody(), "$.id"));
            placedAt.add(JsonPath.read(response.getBody(), "$.placedAt"));
        }
        clients.shutdown();
        ResponseEntity<String> otherBody = place(key, product, 2);

        assertThat(ids).containsOnly(ids.getFirst());
        assertThat(placedAt).as("the placement's answer, the retries' and a read tell one time, as stored")
            .containsOnly(JsonPath.<String>read(http().get("/api/orders/" + ids.getFirst(), token).getBody(), "$.placedAt"));
        assertThat(otherBody.getStatusCode().value()).isEqualTo(422);
        String mine = http().get("/api/orders?size=100", token).getBody();
        assertThat(JsonPath.<List<String>>read(mine, "$.content[*].id")).filteredOn(ids.getFirst()::equals).hasSize(1);
    }

    @Test
    void answersQuicklyWithServiceUnavailableWhileInventoryIsDownThenOpensTheBreakerAndWritesNothing() {
        UUID product = inventory.product("1.00");
        inventory.down.set(true);

        long started = System.nanoTime();
        ResponseEntity<String> first = place(UUID.randomUUID().toString(), product, 1);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        for (int i = 0; i < 5; i++) {
            place(UUID.randomUUID().toString(), product, 1);
        }

        assertThat(first.getStatusCode().value()).isEqualTo(503);
        assertThat(first.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertThat(breakers.circuitBreaker("inventory-pricing").getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "inventory-pricing").tag("state", "open").gauge().value())
            .as("the open breaker, as Prometheus sees it").isEqualTo(1.0);
        assertThat(JsonPath.<Integer>read(http().get("/api/orders", token).getBody(), "$.page.totalElements")).isZero();

        inventory.down.set(false);
        breakers.circuitBreaker("inventory-pricing").transitionToHalfOpenState();
        assertThat(place(UUID.randomUUID().toString(), product, 1).getStatusCode().value()).isEqualTo(201);
    }

    @Test
    void refusesBadOrdersWithAProblem() {
        UUID unknown = UUID.randomUUID();

        ResponseEntity<String> unknownProduct = place(UUID.randomUUID().toString(), unknown, 1);
        assertThat(unknownProduct.getStatusCode().value()).as("a well-formed order naming a product that does not exist").isEqualTo(404);
        assertThat(JsonPath.<String>read(unknownProduct.getBody(), "$.detail")).contains(unknown.toString(), "nothing was ordered");
        ResponseEntity<String> none = place(UUID.randomUUID().toString(), inventory.product("1.00"), 0);
        assertThat(none.getStatusCode().value()).isEqualTo(400);
        assertThat(JsonPath.<List<String>>read(none.getBody(), "$.errors[*].field")).as("the invalid field, as the client names it")
            .containsExactly("lines[0].quantity");
        ResponseEntity<String> badKey = place("x".repeat(300), inventory.product("1.00"), 1);
        assertThat(JsonPath.<List<String>>read(badKey.getBody(), "$.errors[*].field")).as("the invalid header, as the client names it")
            .containsExactly("Idempotency-Key");
        ResponseEntity<String> empty = http().withHeader("Idempotency-Key", UUID.randomUUID().toString())
            .post("/api/orders", token, Map.of("lines", List.of()));
        assertThat(empty.getStatusCode().value()).isEqualTo(400);
        assertThat(JsonPath.<String>read(empty.getBody(), "$.detail")).as("a body's field is called a field").contains("1 invalid field(s)");
        assertThat(JsonPath.<List<String>>read(empty.getBody(), "$.errors[*].field")).containsExactly("lines");
        ResponseEntity<String> soon = http().get("/api/orders/" + UUID.randomUUID() + "?wait=soon", token);
        assertThat(soon.getStatusCode().value()).isEqualTo(400);
        assertThat(JsonPath.<List<String>>read(soon.getBody(), "$.errors[*].field")).as("the query parameter, as the client names it")
            .containsExactly("wait");
        assertThat(JsonPath.<List<String>>read(soon.getBody(), "$.errors[*].message")).containsExactly("must be a whole number, such as 2");
        assertThat(http().post("/api/orders", token, Map.of("lines", List.of(Map.of("productId", inventory.product("1.00"), "quantity", 1))))
            .getStatusCode().value()).as("no Idempotency-Key").isEqualTo(400);
        UUID product = inventory.product("1.00");
        for (String lines : List.of("[{\"productId\": \"%s\", \"quantity\": 1.5}]", "[{\"productId\": \"%s\", \"quantity\": \"2\"}]",
                "[{\"productId\": \"%s\", \"quantity\": 1, \"quantity\": 5}]")) {
            String body = "{\"lines\": " + lines.formatted(product) + "}";
            assertThat(http().withHeader("Idempotency-Key", UUID.randomUUID().toString()).post("/api/orders", token, body)
                .getStatusCode().value()).as("read as typed, or refused: " + body).isEqualTo(400);
        }
        String twice = http().withHeader("Idempotency-Key", UUID.randomUUID().toString()).post("/api/orders", token,
                "{\"lines\": [{\"productId\": \"" + product + "\", \"quantity\": 1, \"quantity\": 5}]}").getBody();
        assertThat(JsonPath.<String>read(twice, "$.detail")).as("where the body stops being JSON, and why").contains("line 1, column")
            .contains("quantity");
        String fraction = http().withHeader("Idempotency-Key", UUID.randomUUID().toString()).post("/api/orders", token,
                "{\"lines\": [{\"productId\": \"" + product + "\", \"quantity\": 1.5}]}").getBody();
        assertThat(JsonPath.<List<String>>read(fraction, "$.errors[*].field")).as("the field, as the client names it").containsExactly("lines[0].quantity");
        assertThat(JsonPath.<List<String>>read(fraction, "$.errors[*].message").getFirst()).contains("whole number");
        String misspelt = http().withHeader("Idempotency-Key", UUID.randomUUID().toString()).post("/api/orders", token,
                "{\"lines\": [{\"productId\": \"" + product + "\", \"quantity\": 1, \"quantiy\": 5}]}").getBody();
        assertThat(JsonPath.<List<String>>read(misspelt, "$.errors[*].field")).as("a field the request does not take, refused by name")
            .containsExactly("lines[0].quantiy");
        assertThat(JsonPath.<List<String>>read(misspelt, "$.errors[*].message")).containsExactly("is not a field here; the fields are productId, quantity");
        assertThat(JsonPath.<Integer>read(http().get("/api/orders", token).getBody(), "$.page.totalElements")).as("none of them was placed")
            .isZero();
        assertThat(breakers.circuitBreaker("inventory-pricing").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    private ResponseEntity<String> place(String key, UUID product, int quantity) {
        return RestClient.builder().requestFactory(new JdkClientHttpRequestFactory()).baseUrl("http://localhost:" + port).build()
            .post().uri("/api/orders")
            .header("Idempotency-Key", key)
            .headers(headers -> headers.setBearerAuth(token))
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("lines", List.of(Map.of("productId", product, "quantity", quantity))))
            .retrieve().onStatus(status -> true, (request, response) -> {
            }).toEntity(String.class);
    }

    private String status(String id) {
        return JsonPath.read(http().get("/api/orders/" + id, token).getBody(), "$.status");
    }

    private String timeline(String id) {
        return http().get("/api/orders/" + id + "/timeline", token).getBody();
    }

    private dev.emporium.testsupport.TestHttp http() {
        return dev.emporium.testsupport.TestHttp.localPort(port);
    }

    private TopicRecords records(String topic) {
        return new TopicRecords(bootstrapServers, topic);
    }

    private static List<String> types(TopicRecords records, UUID order) {
        return records.withKey(order).stream().map(TopicRecords.Message::type).toList();
    }

    /** @return the event's message id */
    private String announcePrice(UUID product, String amount, int version) {
        String event = TestMessages.envelope("ProductPriced", null,
                Map.of("productId", product, "amount", new java.math.BigDecimal(amount), "currency", "EUR", "version", version));
        TestMessages.send(bootstrapServers, "inventory-prices", product, event);
        return JsonPath.read(event, "$.messageId");
    }

    private void reply(String type, UUID order, Object payload) {
        TestMessages.send(bootstrapServers, "order-saga-replies", order, TestMessages.envelope(type, order, payload));
    }
}
