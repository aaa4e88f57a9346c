package dev.emporium.inventory.stock;

import java.util.UUID;

/** The order's reservation was not committed in time; its stock is available again. */
public record StockReservationExpired(UUID orderId) {
}
