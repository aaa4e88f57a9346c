package dev.emporium.order.order;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Embedded;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A shopper's order. It starts {@link Status#PENDING} and the place-order saga moves it to a
 * terminal state; the reason says why it was rejected or cancelled.
 */
@Table("orders")
public record Order(@Id OrderId id, UUID customerId, Status status, @Embedded.Empty(prefix = "total_") Money total,
        String reason, Instant placedAt, @Version Integer version) {

    public Order {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(placedAt, "placedAt");
    }

    public static Order place(UUID customerId, Money total, Instant now) {
        return new Order(new OrderId(UUID.randomUUID()), customerId, Status.PENDING, total, null, now, null);
    }

    public record OrderId(UUID value) {

        public OrderId {
            Objects.requireNonNull(value, "value");
        }
    }

    public enum Status {
        PENDING, CONFIRMED, REJECTED, CANCELLED
    }
}
