package dev.emporium.inventory.stock;

import java.util.UUID;

/** Event on inventory-events: a product's stock after a committed change. */
public record StockChanged(UUID productId, int available, int reserved, int sold) {
}
