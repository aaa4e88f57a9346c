package dev.emporium.inventory.stock;

import java.util.UUID;

import dev.emporium.inventory.catalog.Catalog;
import dev.emporium.inventory.catalog.Money;
import dev.emporium.inventory.catalog.Product;

/** Products with known stock, for tests. */
final class StockMother {

    private StockMother() {
    }

    static UUID productWithStock(Catalog catalog, Inventory inventory, int quantity) {
        Product product = catalog.add(Product.create("TEST-" + UUID.randomUUID(), "Test product", null, Money.of("5.00", "EUR"), "test"));
        UUID id = product.id().value();
        if (quantity > 0) {
            inventory.adjust(id, quantity, "goods received", "test");
        }
        return id;
    }
}
