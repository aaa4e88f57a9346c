package dev.emporium.order.saga;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * order-service's own copies of the messages it sends; each participant keeps its own copy of what it
 * accepts. The record name is the message type on the wire.
 */
final class Messages {

    private Messages() {
    }

    /** A line of {@code ReserveStock}, with the unit price the order shows; the reservation confirms it. */
    record Line(UUID productId, int quantity, BigDecimal unitPrice) {
    }

    record ReserveStock(UUID orderId, List<Line> lines, String currency) {
    }

    record CommitStock(UUID orderId) {
    }

    record ReleaseStock(UUID orderId, String reason) {
    }

    record ReserveCredit(UUID orderId, UUID customerId, BigDecimal amount, String currency) {
    }

    record CommitCredit(UUID orderId) {
    }

    record ReleaseCredit(UUID orderId, String reason) {
    }

    /** Event on order-events: the order is paid for and its stock is sold. */
    record OrderConfirmed(UUID orderId, UUID customerId, BigDecimal total, String currency) {
    }
}
