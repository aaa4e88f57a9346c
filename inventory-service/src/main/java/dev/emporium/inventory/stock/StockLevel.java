package dev.emporium.inventory.stock;

import java.util.UUID;

/** A product's stock at one committed moment. {@code available + reserved + sold} is its total. */
public record StockLevel(UUID productId, int available, int reserved, int sold, int lowStockThreshold) {

    public int total() {
        return available + reserved + sold;
    }
}
