package dev.emporium.inventory.stock;

import java.util.UUID;

/** Reply to ReleaseStock: whatever the order held (reserved or sold) is available again. */
public record StockReleased(UUID orderId) {
}
