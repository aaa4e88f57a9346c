package dev.emporium.order.saga;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.emporium.order.OrderServiceApplication;
import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.SecondInstance;
import dev.emporium.testsupport.TestHttp;
import dev.emporium.testsupport.TestMessages;
import dev.emporium.testsupport.TestTokens;
import dev.emporium.testsupport.TopicRecords;
import dev.emporium.testsupport.TrustTestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of order-service against one database and one broker, as two replicas behind the
 * gateway: the saga's replies split between them by partition, so an order placed at one instance is
 * often decided by the other. Each order is still decided once, a shopper waiting at either instance
 * hears the decision, the admission limit counts the orders of both, and a dead letter is replayed
 * from either. (Two relays on one outbox: {@code OutboxRelayIT} in libs/messaging.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "emporium.orders.admission.max-pending=30", "emporium.orders.admission.adaptive=false",
        "emporium.orders.admission.recount=0s", "emporium.saga.step-timeout=5m",
        // one consumer per instance: two members, so both take replies whatever the topic's partition count
        // (the topic may have been created by another test of this JVM with fewer than the service declares)
        "emporium.saga.consumers=1" })
@ActiveProfiles("test")
@RealInfrastructure(database = "orders_two_instances")
@TrustTestTokens
class TwoInstancesIT {

    static final StubInventory inventory = new StubInventory();
    static final int ORDERS = 20;

    @DynamicPropertySource
    static void stubInventory(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.discovery.client.simple.instances.inventory-service[0].uri", inventory::uri);
    }

    static ConfigurableApplicationContext second;

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext first;

    @Autowired
    KafkaAdmin admin;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    final UUID customer = UUID.randomUUID();
    final String token = TestTokens.customer(customer);
    final UUID product = inventory.product("5.00");

    @BeforeEach
    void twoInstancesSharingTheReplies() {
        for (String topic : List.of("inventory-commands", "user-commands", "order-events", "order-saga-replies")) {
            admin.createOrModifyTopics(TopicBuilder.name(topic).partitions(3).replicas(1).build());
        }
        if (second == null) {
            second = SecondInstance.of(first, OrderServiceApplication.class);
        }
        await("the reply partitions split between the two instances").atMost(Duration.ofSeconds(60))
            .until(() -> repliesAssigned(first) > 0 && repliesAssigned(second) > 0
                    && repliesAssigned(first) + repliesAssigned(second) == admin.describeTopics("order-saga-replies").get("order-saga-replies")
                        .partitions().size());
    }

    @AfterAll
    static void stopTheSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void everyOrderIsDecidedOnceWhicheverInstanceTakesItsRepliesAndAWaitAtEitherInstanceHearsIt() {
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            ResponseEntity<String> placed = place(i % 2 == 0 ? port : SecondInstance.port(second), UUID.randomUUID().toString());
            assertThat(placed.getStatusCode().value()).as(placed.getBody()).isEqualTo(201);
            orders.add(UUID.fromString(JsonPath.read(placed.getBody(), "$.id")));
        }
        List<CompletableFuture<ResponseEntity<String>>> waits = new ArrayList<>();
        for (UUID order : orders) {
            for (int instance : List.of(port, SecondInstance.port(second))) {
                waits.add(CompletableFuture.supplyAsync(() -> TestHttp.localPort(instance).get("/api/orders/" + order + "?wait=20", token)));
            }
        }
        long decidedByFirst = decisions(first);
        long decidedBySecond = decisions(second);

        for (UUID order : orders) {
            TestMessages.send(bootstrapServers, "order-saga-replies", order, TestMessages.envelope("StockReserved", order,
                    Map.of("orderId", order)));
            TestMessages.send(bootstrapServers, "order-saga-replies", order, TestMessages.envelope("CreditReserved", order,
                    Map.of("orderId", order)));
        }

        // answered as decided, long before the 20 s the clients offered to wait, at the instance that decided and at the other
        await().atMost(Duration.ofSeconds(15)).until(() -> waits.stream().allMatch(CompletableFuture::isDone));
        assertThat(waits).allSatisfy(wait -> assertThat(JsonPath.<String>read(wait.join().getBody(), "$.status")).isEqualTo("CONFIRMED"));
        assertThat(decisions(first) - decidedByFirst).as("replies the first instance took").isPositive();
        assertThat(decisions(second) - decidedBySecond).as("replies the second instance took").isPositive();
        try (TopicRecords stock = new TopicRecords(bootstrapServers, "inventory-commands");
                TopicRecords events = new TopicRecords(bootstrapServers, "order-events")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                stock.poll();
                events.poll();
                return orders.stream().allMatch(order -> stock.readWithKey(order).size() == 2 && events.readWithKey(order).size() == 1);
            });
            assertThat(orders).allSatisfy(order -> {
                assertThat(stock.readWithKey(order)).extracting(TopicRecords.Message::type).containsExactly("ReserveStock", "CommitStock");
                assertThat(events.readWithKey(order)).extracting(TopicRecords.Message::type).containsExactly("OrderConfirmed");
            });
        }
    }

    @Test
    void theAdmissionLimitCountsThePendingOrdersOfBothInstances() {
        List<UUID> taken = new ArrayList<>();
        ResponseEntity<String> refused = null;
        for (int i = 0; i < 40 && refused == null; i++) {
            ResponseEntity<String> answer = place(i % 2 == 0 ? port : SecondInstance.port(second), UUID.randomUUID().toString());
            if (answer.getStatusCode().value() == 503) {
                refused = answer;
            }
            else {
                assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(201);
                taken.add(UUID.fromString(JsonPath.read(answer.getBody(), "$.id")));
            }
        }
        try {
            assertThat(refused).as("the 31st order, whichever instance it reaches").isNotNull();
            assertThat(JsonPath.<String>read(refused.getBody(), "$.detail")).contains("the limit is 30");
            assertThat(taken).as("orders taken by the two instances together").hasSize(30);
        }
        finally {
            for (UUID order : taken) { // decided, so that the limit is free for the other test
                TestMessages.send(bootstrapServers, "order-saga-replies", order, TestMessages.envelope("StockReservationFailed", order,
                        Map.of("orderId", order, "reason", "Not enough stock for every line")));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> taken.stream()
                .allMatch(order -> !JsonPath.<String>read(TestHttp.localPort(port).get("/api/orders/" + order, token).getBody(), "$.status")
                    .equals("PENDING")));
        }
    }

    /**
     * A dead-letter topic is read and written through the broker, not through an instance: a reply that
     * one instance dead-lettered is listed by either, replayed from either, and the saga goes on.
     */
    @Test
    void aDeadLetteredReplyIsListedAtOneInstanceAndReplayedFromTheOther() throws Exception {
        ResponseEntity<String> placed = place(port, UUID.randomUUID().toString());
        UUID order = UUID.fromString(JsonPath.read(placed.getBody(), "$.id"));
        // the credit reply as an instance dead-letters it (say its database was away through every attempt)
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers), new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> deadLetter = new ProducerRecord<>("order-saga-replies.DLT", order.toString(),
                    TestMessages.envelope("CreditReserved", order, Map.of("orderId", order)));
            deadLetter.headers().add(KafkaHeaders.DLT_ORIGINAL_TOPIC, "order-saga-replies".getBytes(StandardCharsets.UTF_8));
            producer.send(deadLetter).get(10, TimeUnit.SECONDS);
        }
        TestMessages.send(bootstrapServers, "order-saga-replies", order, TestMessages.envelope("StockReserved", order, Map.of("orderId", order)));
        String admin = TestTokens.admin(UUID.randomUUID());
        String path = "$.records[?(@.key == '" + order + "')].id";

        List<String> listedBySecond = await().atMost(Duration.ofSeconds(30))
            .until(() -> JsonPath.<List<String>>read(TestHttp.localPort(SecondInstance.port(second)).get("/api/orders/dead-letters", admin)
                .getBody(), path), ids -> !ids.isEmpty());
        List<String> listedByFirst = JsonPath.read(TestHttp.localPort(port).get("/api/orders/dead-letters", admin).getBody(), path);
        assertThat(listedByFirst).isEqualTo(listedBySecond).hasSize(1);
        assertThat(status(order)).as("stock reserved, credit dead-lettered").isEqualTo("PENDING");

        ResponseEntity<String> replayed = TestHttp.localPort(SecondInstance.port(second))
            .post("/api/orders/dead-letters/" + listedBySecond.getFirst() + "/replay", admin, null);

        assertThat(replayed.getStatusCode().value()).as(replayed.getBody()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> status(order).equals("CONFIRMED"));
    }

    private String status(UUID order) {
        return JsonPath.read(TestHttp.localPort(port).get("/api/orders/" + order, token).getBody(), "$.status");
    }

    private ResponseEntity<String> place(int instance, String key) {
        return TestHttp.localPort(instance).withHeader("Idempotency-Key", key)
            .post("/api/orders", token, Map.of("lines", List.of(Map.of("productId", product, "quantity", 1))));
    }

    /** Partitions of order-saga-replies assigned to an instance's listeners. */
    private static long repliesAssigned(ApplicationContext instance) {
        return instance.getBean(KafkaListenerEndpointRegistry.class).getListenerContainers().stream()
            .filter(container -> container.getAssignedPartitions() != null)
            .flatMap(container -> container.getAssignedPartitions().stream())
            .filter(partition -> partition.topic().equals("order-saga-replies")).count();
    }

    /** Replies the saga of an instance has taken (its {@code emporium.saga.step} timers). */
    private static long decisions(ApplicationContext instance) {
        return instance.getBean(MeterRegistry.class).find("emporium.saga.step").timers().stream().mapToLong(Timer::count).sum();
    }
}
