package dev.emporium.order.checkout;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.test.context.ActiveProfiles;

import dev.emporium.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Orders survive a round trip through the real orders database. */
@SpringBootTest
@ActiveProfiles("test")
@RealInfrastructure(database = "orders")
class OrderPersistenceIT {

    @Autowired
    Orders orders;

    @Autowired
    OrderRows rows;

    @Autowired
    OrderManagement management;

    /** The order path writes and reads in plain SQL, the paged lists through Spring Data: both see one order alike. */
    @Test
    void anOrderWrittenInPlainSqlReadsTheSameThroughTheRepository() {
        Order placed = rows.insert(Order.place(UUID.randomUUID(),
                List.of(new OrderLine(UUID.randomUUID(), 2, new BigDecimal("1.25")), new OrderLine(UUID.randomUUID(), 5, new BigDecimal("3.00")),
                        new OrderLine(UUID.randomUUID(), 1, new BigDecimal("7.10"))),
                "EUR", Instant.now().truncatedTo(ChronoUnit.MICROS)));

        assertThat(orders.findById(placed.id())).get().usingRecursiveComparison().isEqualTo(placed);
        assertThat(rows.find(placed.id())).get().usingRecursiveComparison().isEqualTo(placed);
        assertThat(placed.lines()).extracting(OrderLine::quantity).containsExactly(2, 5, 1);
    }

    @Test
    void anOrderThatDoesNotExistIsNotFound() {
        assertThat(rows.find(new Order.OrderId(UUID.randomUUID()))).isEmpty();
    }

    @Test
    void storesAndReadsAnOrder() {
        Order placed = orders.save(Order.place(UUID.randomUUID(),
                List.of(new OrderLine(UUID.randomUUID(), 3, new BigDecimal("10.50")), new OrderLine(UUID.randomUUID(), 1, new BigDecimal("0.99"))),
                "EUR", Instant.now().truncatedTo(ChronoUnit.MICROS)));

        assertThat(management.order(placed.id())).get().usingRecursiveComparison().isEqualTo(placed);
        assertThat(placed.status()).isEqualTo(Order.Status.PENDING);
        assertThat(placed.total().amount()).isEqualByComparingTo("32.49");
        assertThat(management.order(placed.id()).orElseThrow().lines()).hasSize(2);
    }

    @Test
    void aDecisionWritesTheStatusAndKeepsTheLines() {
        Order placed = orders.save(Order.place(UUID.randomUUID(), List.of(new OrderLine(UUID.randomUUID(), 2, new BigDecimal("4.00"))), "EUR",
                Instant.now().truncatedTo(ChronoUnit.MICROS)));

        Order rejected = management.reject(placed, "Not enough stock");

        Order stored = management.order(placed.id()).orElseThrow();
        assertThat(stored).usingRecursiveComparison().isEqualTo(rejected);
        assertThat(stored.status()).isEqualTo(Order.Status.REJECTED);
        assertThat(stored.reason()).isEqualTo("Not enough stock");
        assertThat(stored.version()).isEqualTo(placed.version() + 1);
        assertThat(stored.lines()).usingRecursiveComparison().isEqualTo(placed.lines());
    }

    @Test
    void aDecisionOnAnOrderThatChangedSinceItWasReadIsNotWritten() {
        Order placed = orders.save(Order.place(UUID.randomUUID(), List.of(new OrderLine(UUID.randomUUID(), 1, new BigDecimal("9.99"))), "EUR",
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
        management.cancel(placed.id(), "changed my mind");

        assertThatExceptionOfType(OptimisticLockingFailureException.class).isThrownBy(() -> management.confirm(placed));
        assertThat(management.order(placed.id()).orElseThrow().status()).isEqualTo(Order.Status.CANCELLED);
    }
}
