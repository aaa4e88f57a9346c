package dev.emporium.inventory.stock;

import java.util.UUID;

/** One line of a reservation that could not be served: asked for {@code requested}, {@code available} there. */
public record Shortfall(UUID productId, int requested, int available) {
}
