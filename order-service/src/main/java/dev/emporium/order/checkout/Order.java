package dev.emporium.order.checkout;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Embedded;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A shopper's order. It starts {@link Status#PENDING}; the place-order saga moves it to
 * {@link Status#CONFIRMED} or {@link Status#REJECTED}, and a cancellation to {@link Status#CANCELLED}.
 * The transitions are the only way to change it, and they refuse what makes no sense.
 */
@Table("orders")
public record Order(@Id OrderId id, UUID customerId, Status status, @Embedded.Empty(prefix = "total_") Money total,
        String reason, Instant placedAt, @MappedCollection(idColumn = "order_id", keyColumn = "line_no") List<OrderLine> lines,
        @Version Integer version) {

    /** The longest reason an order keeps ({@code orders.reason varchar(500)}). */
    public static final int MAX_REASON = 500;

    public Order {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(placedAt, "placedAt");
        lines = lines == null ? List.of() : List.copyOf(lines);
        reason = fitting(reason);
    }

    /**
     * A participant's reason as long as an order can keep it, cut with an ellipsis: a refusal that names
     * many products must still reject the order, not fail its write again and again.
     */
    static String fitting(String reason) {
        if (reason == null || reason.length() <= MAX_REASON) {
            return reason;
        }
        int cut = MAX_REASON - 1;
        if (Character.isHighSurrogate(reason.charAt(cut - 1))) {
            cut--;
        }
        return reason.substring(0, cut) + "…";
    }

    /** A new order for these lines, its total their sum. */
    public static Order place(UUID customerId, List<OrderLine> lines, String currency, Instant now) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("An order needs at least one line");
        }
        BigDecimal total = lines.stream().map(OrderLine::subtotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Order(new OrderId(UUID.randomUUID()), customerId, Status.PENDING, new Money(total, currency), null, now, lines, null);
    }

    public Order confirm() {
        requireStatus(Status.PENDING, "confirm");
        return with(Status.CONFIRMED, null);
    }

    public Order reject(String why) {
        requireStatus(Status.PENDING, "reject");
        return with(Status.REJECTED, why);
    }

    /** Pending and confirmed orders can be cancelled; cancelling a cancelled order changes nothing. */
    public Order cancel(String why) {
        if (status == Status.CANCELLED) {
            return this;
        }
        if (status != Status.PENDING && status != Status.CONFIRMED) {
            throw new IllegalStateException("A " + status + " order cannot be cancelled");
        }
        return with(Status.CANCELLED, why);
    }

    public boolean isTerminal() {
        return status != Status.PENDING;
    }

    private void requireStatus(Status expected, String action) {
        if (status != expected) {
            throw new IllegalStateException("Cannot " + action + " order " + id.value() + ": it is " + status);
        }
    }

    /** This order as stored after one more write: {@code OrderRows.writeStatus} counts the version up. */
    Order nextVersion() {
        return new Order(id, customerId, status, total, reason, placedAt, lines, version + 1);
    }

    private Order with(Status newStatus, String newReason) {
        return new Order(id, customerId, newStatus, total, newReason, placedAt, lines, version);
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
