package dev.emporium.user.credit;

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
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.TestMessages;
import dev.emporium.testsupport.TopicRecords;
import dev.emporium.user.account.Account.AccountId;
import dev.emporium.user.account.Account;
import dev.emporium.user.account.AccountManagement;
import dev.emporium.user.credit.Messages.CreditReleased;
import dev.emporium.user.credit.Messages.CreditReservationFailed;
import dev.emporium.user.credit.Messages.CreditReserved;
import dev.emporium.user.credit.Messages.ReleaseCredit;
import dev.emporium.user.credit.Messages.ReserveCredit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Credit as the saga sees it: commands on user-commands, replies on order-saga-replies. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@RealInfrastructure(database = "users")
class CreditReservationIT {

    /** order-service's shape of the commands. */
    record ReserveCredit(UUID orderId, UUID customerId, BigDecimal amount, String currency) {
    }

    record ReleaseCredit(UUID orderId, String reason) {
    }

    @Autowired
    AccountManagement accounts;

    @Autowired
    Credit credit;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    KafkaAdmin admin;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @BeforeEach
    void sagaRepliesTopicExists() {
        admin.createOrModifyTopics(TopicBuilder.name("order-saga-replies").partitions(3).replicas(1).build());
    }

    @Test
    void twentyConcurrentReservationsOfAHundredAgainstAThousandReserveExactlyTen() throws Exception {
        UUID customer = customer();
        List<UUID> orders = new ArrayList<>();
        ExecutorService shoppers = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            UUID order = UUID.randomUUID();
            orders.add(order);
            done.add(shoppers.submit((Callable<Void>) () -> {
                transactions.executeWithoutResult(status -> credit.reserve(order, customer, new BigDecimal("100.00"), "EUR"));
                return null;
            }));
        }
        for (Future<?> each : done) {
            each.get(60, TimeUnit.SECONDS);
        }
        shoppers.shutdown();

        CreditAccount account = credit.of(new AccountId(customer)).orElseThrow();
        assertThat(account.reserved()).isEqualByComparingTo("1000.00");
        assertThat(account.available()).isEqualByComparingTo("0.00");
        try (TopicRecords replies = new TopicRecords(bootstrapServers, "order-saga-replies")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                replies.poll();
                return orders.stream().allMatch(order -> !replies.readWithKey(order).isEmpty());
            });
            assertThat(orders.stream().filter(order -> replies.readWithKey(order).getFirst().type().equals("CreditReserved")).count())
                .isEqualTo(10);
        }
    }

    @Test
    void refusesMoreThanIsAvailableAndChangesNothing() {
        UUID customer = customer();
        UUID order = UUID.randomUUID();

        transactions.executeWithoutResult(status -> credit.reserve(order, customer, new BigDecimal("1000.01"), "EUR"));

        assertThat(credit.of(new AccountId(customer)).orElseThrow().available()).isEqualByComparingTo("1000.00");
        try (TopicRecords replies = new TopicRecords(bootstrapServers, "order-saga-replies")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> replies.withKey(order).size() == 1);
            TopicRecords.Message failed = replies.readWithKey(order).getFirst();
            assertThat(failed.type()).isEqualTo("CreditReservationFailed");
            assertThat(failed.<String>read("$.payload.reason")).isEqualTo("Not enough credit: 1000.01 EUR needed, 1000.00 EUR available");
        }
    }

    @Test
    void commitSpendsTheCreditAndAReleaseAfterwardsRefundsIt() {
        UUID customer = customer();
        UUID order = UUID.randomUUID();

        transactions.executeWithoutResult(status -> credit.reserve(order, customer, new BigDecimal("250.00"), "EUR"));
        transactions.executeWithoutResult(status -> credit.commit(order));
        transactions.executeWithoutResult(status -> credit.commit(order));
        CreditAccount spent = credit.of(new AccountId(customer)).orElseThrow();
        transactions.executeWithoutResult(status -> credit.release(order, "order cancelled"));
        CreditAccount refunded = credit.of(new AccountId(customer)).orElseThrow();

        assertThat(spent.used()).isEqualByComparingTo("250.00");
        assertThat(spent.reserved()).isEqualByComparingTo("0.00");
        assertThat(refunded.used()).isEqualByComparingTo("0.00");
        assertThat(refunded.available()).isEqualByComparingTo("1000.00");
    }

    @Test
    void theSameReserveDeliveredTwiceReservesOnceAndReleaseTwiceReleasesOnce() {
        UUID customer = customer();
        UUID order = UUID.randomUUID();
        String reserve = envelope("ReserveCredit", order, new ReserveCredit(order, customer, new BigDecimal("300.00"), "EUR"));
        String release = envelope("ReleaseCredit", order, new ReleaseCredit(order, "stock refused"));

        send(order, reserve);
        send(order, reserve);
        await().atMost(Duration.ofSeconds(30))
            .until(() -> credit.of(new AccountId(customer)).orElseThrow().reserved().compareTo(new BigDecimal("300.00")) == 0);
        send(order, release);
        send(order, release);

        await().atMost(Duration.ofSeconds(30))
            .until(() -> credit.of(new AccountId(customer)).orElseThrow().reserved().signum() == 0);
        try (TopicRecords replies = new TopicRecords(bootstrapServers, "order-saga-replies")) {
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> replies.withKey(order).stream().map(TopicRecords.Message::type).toList(),
                        types -> types.equals(List.of("CreditReserved", "CreditReleased")));
        }
        assertThat(credit.of(new AccountId(customer)).orElseThrow().available()).isEqualByComparingTo("1000.00");
    }

    @Test
    void aReleaseBeforeItsReservationMakesTheLateReservationFail() {
        UUID customer = customer();
        UUID order = UUID.randomUUID();

        transactions.executeWithoutResult(status -> credit.release(order, "saga timed out"));
        transactions.executeWithoutResult(status -> credit.reserve(order, customer, new BigDecimal("10.00"), "EUR"));

        assertThat(credit.of(new AccountId(customer)).orElseThrow().available()).isEqualByComparingTo("1000.00");
        try (TopicRecords replies = new TopicRecords(bootstrapServers, "order-saga-replies")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> replies.withKey(order).size() == 2);
            assertThat(replies.readWithKey(order)).extracting(TopicRecords.Message::type)
                .containsExactly("CreditReleased", "CreditReservationFailed");
        }
    }

    private UUID customer() {
        Account account = accounts.register("credit." + UUID.randomUUID() + "@example.org", "correct horse battery", "Buyer");
        return account.id().value();
    }

    private String envelope(String type, UUID order, Object payload) {
        return TestMessages.envelope(type, order, payload);
    }

    private void send(UUID order, String envelope) {
        TestMessages.send(bootstrapServers, "user-commands", order, envelope);
    }
}
