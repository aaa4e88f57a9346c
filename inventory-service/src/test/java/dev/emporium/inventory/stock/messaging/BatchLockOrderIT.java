package dev.emporium.inventory.stock.messaging;

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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import tools.jackson.databind.json.JsonMapper;

import dev.emporium.inventory.Topics;
import dev.emporium.inventory.catalog.Catalog;
import dev.emporium.inventory.catalog.Money;
import dev.emporium.inventory.catalog.Product;
import dev.emporium.inventory.stock.Inventory;
import dev.emporium.inventory.stock.Messages.CommitStock;
import dev.emporium.inventory.stock.Messages.PricedLine;
import dev.emporium.inventory.stock.Messages.ReleaseStock;
import dev.emporium.inventory.stock.Messages.ReserveStock;
import dev.emporium.messaging.Envelope;
import dev.emporium.testsupport.RealInfrastructure;
import dev.emporium.testsupport.TrustTestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batches of commands that touch the same products in different orders, applied at the same moment
 * by two consumers: each batch takes its stock rows in product order before any effect runs, so
 * neither waits for the other in a cycle (PostgreSQL would end such a deadlock by failing one batch).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@RealInfrastructure(database = "inventory")
@TrustTestTokens
class BatchLockOrderIT {

    private static final JsonMapper json = JsonMapper.builder().build();

    private static final int CONSUMERS = 2;
    private static final int BATCHES = 25;
    private static final int ORDERS_PER_BATCH = 8;

    @Autowired
    InventoryCommands commands;

    @Autowired
    Catalog catalog;

    @Autowired
    Inventory inventory;

    @Autowired
    JdbcClient jdbc;

    @Test
    void twoConsumersApplyingBatchesOverTheSameProductsInDifferentOrdersBothCommitEveryRecord() throws Exception {
        List<UUID> products = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            products.add(productWithStock(10_000));
        }

        ExecutorService consumers = Executors.newFixedThreadPool(CONSUMERS);
        List<Future<List<UUID>>> done = new ArrayList<>();
        for (int consumer = 0; consumer < CONSUMERS; consumer++) {
            done.add(consumers.submit((Callable<List<UUID>>) () -> {
                List<UUID> committed = new ArrayList<>();
                for (int batch = 0; batch < BATCHES; batch++) {
                    List<UUID> order = new ArrayList<>(products);
                    Collections.shuffle(order);
                    // each order reserves two products, then a commit of the batch's first orders and a
                    // release of the next: stock rows reached through the payload and through the reservation
                    List<UUID> orders = new ArrayList<>();
                    List<ConsumerRecord<String, Envelope>> records = new ArrayList<>();
                    for (int i = 0; i < ORDERS_PER_BATCH; i++) {
                        UUID orderId = UUID.randomUUID();
                        orders.add(orderId);
                        records.add(record(orderId, new ReserveStock(orderId, List.of(new PricedLine(order.get(i % order.size()), 1, null),
                                new PricedLine(order.get((i + 1) % order.size()), 1, null)), null)));
                    }
                    records.add(record(orders.get(0), new CommitStock(orders.get(0))));
                    records.add(record(orders.get(1), new ReleaseStock(orders.get(1), "changed their mind")));
                    commands.on(records);
                    committed.add(orders.get(0));
                }
                return committed;
            }));
        }
        int sold = 0;
        for (Future<List<UUID>> each : done) {
            sold += each.get(120, TimeUnit.SECONDS).size() * 2;
        }
        consumers.shutdown();

        int reserved = CONSUMERS * BATCHES * (ORDERS_PER_BATCH - 2) * 2;
        assertThat(products.stream().mapToInt(product -> inventory.level(product).orElseThrow().reserved()).sum()).isEqualTo(reserved);
        assertThat(products.stream().mapToInt(product -> inventory.level(product).orElseThrow().sold()).sum()).isEqualTo(sold);
        assertThat(inventory.audit()).extracting(finding -> finding.productId()).doesNotContainAnyElementsOf(products);
    }

    /**
     * The reservation-expiry job takes the stock rows first too, and skips a reservation a command
     * holds: releases of reservations that are overdue, applied while the job expires them, finish
     * either way, and every unit comes back once.
     */
    @Test
    void releasesOfOverdueReservationsAppliedWhileTheyExpireBothFinishAndReturnEveryUnitOnce() throws Exception {
        List<UUID> products = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            products.add(productWithStock(10_000));
        }
        List<UUID> orders = new ArrayList<>();
        List<ConsumerRecord<String, Envelope>> reservations = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            UUID orderId = UUID.randomUUID();
            orders.add(orderId);
            List<UUID> two = new ArrayList<>(products);
            Collections.shuffle(two);
            reservations.add(record(orderId, new ReserveStock(orderId, List.of(new PricedLine(two.get(0), 1, null), new PricedLine(two.get(1), 1, null)), null)));
        }
        commands.on(reservations);
        jdbc.sql("update reservations set expires_at = now() - interval '1 second' where order_id = any(:ids)")
            .param("ids", orders.toArray(UUID[]::new))
            .update();

        ExecutorService both = Executors.newFixedThreadPool(2);
        Future<?> releasing = both.submit((Callable<Void>) () -> {
            List<UUID> shuffled = new ArrayList<>(orders);
            Collections.shuffle(shuffled);
            for (int from = 0; from < shuffled.size(); from += ORDERS_PER_BATCH) {
                commands.on(shuffled.subList(from, from + ORDERS_PER_BATCH).stream()
                    .map(orderId -> record(orderId, new ReleaseStock(orderId, "cancelled")))
                    .toList());
            }
            return null;
        });
        Future<?> expiring = both.submit((Callable<Void>) () -> {
            while (inventory.expireOverdue(10) > 0) {
                // until none is left to expire
            }
            return null;
        });
        releasing.get(120, TimeUnit.SECONDS);
        expiring.get(120, TimeUnit.SECONDS);
        both.shutdown();

        assertThat(products.stream().mapToInt(product -> inventory.level(product).orElseThrow().reserved()).sum()).isZero();
        assertThat(products.stream().mapToInt(product -> inventory.level(product).orElseThrow().available()).sum()).isEqualTo(4 * 10_000);
        assertThat(jdbc.sql("select count(*) from reservations where order_id = any(:ids) and status in ('RELEASED', 'EXPIRED')")
            .param("ids", orders.toArray(UUID[]::new))
            .query(Integer.class)
            .single()).isEqualTo(orders.size());
        assertThat(inventory.audit()).extracting(finding -> finding.productId()).doesNotContainAnyElementsOf(products);
    }

    private UUID productWithStock(int quantity) {
        Product product = catalog.add(Product.create("TEST-" + UUID.randomUUID(), "Test product", null, Money.of("5.00", "EUR"), "test"));
        inventory.adjust(product.id().value(), quantity, "goods received", "test");
        return product.id().value();
    }

    private static ConsumerRecord<String, Envelope> record(UUID orderId, Object command) {
        Envelope envelope = new Envelope(UUID.randomUUID(), command.getClass().getSimpleName(), Instant.now(), orderId.toString(),
                json.valueToTree(command));
        return new ConsumerRecord<>(Topics.COMMANDS, 0, 0, orderId.toString(), envelope);
    }
}
