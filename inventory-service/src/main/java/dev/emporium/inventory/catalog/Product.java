package dev.emporium.inventory.catalog;

import java.util.Objects;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Embedded;
import org.springframework.data.relational.core.mapping.Table;

/** A product in the catalogue. Its SKU is unique and never changes. */
@Table("products")
public record Product(@Id ProductId id, String sku, String name, String description,
        @Embedded.Empty(prefix = "price_") Money price, String category, @Version Integer version) {

    public Product {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(price, "price");
        if (sku == null || sku.isBlank()) {
            throw new IllegalArgumentException("A product needs a SKU");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A product needs a name");
        }
    }

    public static Product create(String sku, String name, String description, Money price, String category) {
        return new Product(ProductId.random(), sku, name, description, price, category, null);
    }

    public record ProductId(UUID value) {

        public ProductId {
            Objects.requireNonNull(value, "value");
        }

        public static ProductId random() {
            return new ProductId(UUID.randomUUID());
        }
    }
}
