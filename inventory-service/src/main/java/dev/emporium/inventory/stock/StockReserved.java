package dev.emporium.inventory.stock;

import java.util.List;
import java.util.UUID;

/** Reply to ReserveStock: every line of the order is held for it until committed, released or expired. */
public record StockReserved(UUID orderId, List<Line> lines) {
}
