package dev.emporium.order.order;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
        Order placed = orders.save(Order.place(UUID.randomUUID(), Money.of("31.50", "EUR"),
                Instant.now().truncatedTo(ChronoUnit.MICROS)));

        assertThat(management.order(placed.id())).get().usingRecursiveComparison().isEqualTo(placed);
        assertThat(placed.status()).isEqualTo(Order.Status.PENDING);
    }
}
