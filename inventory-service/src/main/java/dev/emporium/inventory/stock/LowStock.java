package dev.emporium.inventory.stock;

import java.util.UUID;

/** Event on inventory-events: available stock fell to or below the product's threshold. */
public record LowStock(UUID productId, int available, int threshold) {
}
