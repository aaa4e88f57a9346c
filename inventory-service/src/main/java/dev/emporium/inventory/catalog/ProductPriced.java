package dev.emporium.inventory.catalog;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * Event on {@code inventory-prices} (compacted, key: product id): what a product costs from now on.
 * Published when a product is added and when its price changes; order-service keeps its price list
 * with it.
 *
 * @param version the product's version that has this price: a reader keeps the highest it has seen
 */
public record ProductPriced(UUID productId, BigDecimal amount, String currency, int version) {
}
