package dev.emporium.inventory.stock;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * Every message inventory-service exchanges, in one place: the saga's commands it accepts on
 * {@code inventory-commands}, its replies on {@code order-saga-replies} and its events on
 * {@code inventory-events} (docs/asyncapi.yaml; {@code AsyncApiContractTest} checks each against it).
 */
public final class Messages {

    // Commands the saga sends (order-service owns their schema; this is this service's copy)

    /**
     * @param lines each with the unit price the order was placed at (absent in a command sent before
     *        order-service priced from its price list: such a line's price is not checked)
     * @param currency of those prices
     */
    public record ReserveStock(UUID orderId, List<PricedLine> lines, String currency) {
    }

    /** A line of a {@code ReserveStock}: so many units of a product, at the price the order shows. */
    public record PricedLine(UUID productId, int quantity, BigDecimal unitPrice) {

        public Line line() {
            return new Line(productId, quantity);
        }
    }

    public record CommitStock(UUID orderId) {
    }

    public record ReleaseStock(UUID orderId, String reason) {
    }

    // Replies to the saga

    /** Reply to ReserveStock: every line of the order is held for it until committed, released or expired. */
    public record StockReserved(UUID orderId, List<Line> lines) {
    }

    /** Reply to ReserveStock: nothing was reserved; the shortfalls say which lines could not be served. */
    public record StockReservationFailed(UUID orderId, String reason, List<Shortfall> shortfalls) {
    }

    /** The order's reservation was not committed in time; its stock is available again. */
    public record StockReservationExpired(UUID orderId) {
    }

    /** Reply to ReleaseStock: whatever the order held (reserved or sold) is available again. */
    public record StockReleased(UUID orderId) {
    }

    // Events for anyone

    /** Event on inventory-events: a product's stock after a committed change. */
    public record StockChanged(UUID productId, int available, int reserved, int sold) {
    }

    /** Event on inventory-events: available stock fell to or below the product's threshold. */
    public record LowStock(UUID productId, int available, int threshold) {
    }

    private Messages() {
    }
}
