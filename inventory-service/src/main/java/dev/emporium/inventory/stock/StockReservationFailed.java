package dev.emporium.inventory.stock;

import java.util.List;
import java.util.UUID;

/** Reply to ReserveStock: nothing was reserved; the shortfalls say which lines could not be served. */
public record StockReservationFailed(UUID orderId, String reason, List<Shortfall> shortfalls) {
}
