package dev.emporium.inventory.stock;

import java.util.UUID;

/** So many units of one product, as an order asks for them. */
public record Line(UUID productId, int quantity) {
}
