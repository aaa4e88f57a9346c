package dev.emporium.user.credit.messaging;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import tools.jackson.databind.json.JsonMapper;

import dev.emporium.messaging.Envelope;
import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.user.Topics;
import dev.emporium.user.account.Account.AccountId;
import dev.emporium.user.account.AccountManagement;
import dev.emporium.user.credit.Credit;
import dev.emporium.user.credit.CreditAccount;
import dev.emporium.user.credit.Messages.CommitCredit;
import dev.emporium.user.credit.Messages.ReleaseCredit;
import dev.emporium.user.credit.Messages.ReserveCredit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batches of credit commands for the same customers in different orders, applied at the same moment
 * by two consumers: each batch takes its accounts in account order before any effect runs, so neither
 * waits for the other in a cycle (PostgreSQL would end such a deadlock by failing one batch).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@RealInfrastructure(database = "users")
class BatchLockOrderIT {

    private static final JsonMapper json = JsonMapper.builder().build();

    private static final int CONSUMERS = 2;
    private static final int BATCHES = 25;
    private static final int ORDERS_PER_BATCH = 8;

    @Autowired
    UserCommands commands;

    @Autowired
    AccountManagement accounts;

    @Autowired
    Credit credit;

    @Test
    void twoConsumersApplyingBatchesOverTheSameAccountsInDifferentOrdersBothCommitEveryRecord() throws Exception {
        List<UUID> customers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            UUID customer = accounts.register("batch." + UUID.randomUUID() + "@example.org", "correct horse battery", "Buyer").id().value();
            credit.changeLimit(new AccountId(customer), new BigDecimal("10000"));
            customers.add(customer);
        }
        String currency = credit.of(new AccountId(customers.get(0))).orElseThrow().currency();

        ExecutorService consumers = Executors.newFixedThreadPool(CONSUMERS);
        List<Future<Integer>> done = new ArrayList<>();
        for (int consumer = 0; consumer < CONSUMERS; consumer++) {
            done.add(consumers.submit((Callable<Integer>) () -> {
                int committed = 0;
                for (int batch = 0; batch < BATCHES; batch++) {
                    List<UUID> order = new ArrayList<>(customers);
                    Collections.shuffle(order);
                    // a reservation per order, then a commit of the batch's first order and a release of
                    // the second: accounts reached through the payload and through the reservation
                    List<UUID> orders = new ArrayList<>();
                    List<ConsumerRecord<String, Envelope>> records = new ArrayList<>();
                    for (int i = 0; i < ORDERS_PER_BATCH; i++) {
                        UUID orderId = UUID.randomUUID();
                        orders.add(orderId);
                        records.add(record(orderId, new ReserveCredit(orderId, order.get(i % order.size()), BigDecimal.ONE, currency)));
                    }
                    records.add(record(orders.get(0), new CommitCredit(orders.get(0))));
                    records.add(record(orders.get(1), new ReleaseCredit(orders.get(1), "changed their mind")));
                    commands.on(records);
                    committed++;
                }
                return committed;
            }));
        }
        int used = 0;
        for (Future<Integer> each : done) {
            used += each.get(120, TimeUnit.SECONDS);
        }
        consumers.shutdown();

        List<CreditAccount> after = customers.stream()
            .map(customer -> credit.of(new AccountId(customer)).orElseThrow())
            .toList();
        assertThat(after.stream().map(CreditAccount::reserved).reduce(BigDecimal.ZERO, BigDecimal::add))
            .isEqualByComparingTo(BigDecimal.valueOf(CONSUMERS * BATCHES * (ORDERS_PER_BATCH - 2)));
        assertThat(after.stream().map(CreditAccount::used).reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo(BigDecimal.valueOf(used));
    }

    private static ConsumerRecord<String, Envelope> record(UUID orderId, Object command) {
        Envelope envelope = new Envelope(UUID.randomUUID(), command.getClass().getSimpleName(), Instant.now(), orderId.toString(),
                json.valueToTree(command));
        return new ConsumerRecord<>(Topics.COMMANDS, 0, 0, orderId.toString(), envelope);
    }
}
