package dev.emporium.order.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import dev.emporium.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/** Orders survive a round trip through the real orders database. */
@SpringBootTest
@ActiveProfiles("test")
@RealInfrastructure(database = "orders")
class OrderPersistenceIT {

    @Autowired
    Orders orders;

    @Autowired
    OrderManagement management;

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
}
