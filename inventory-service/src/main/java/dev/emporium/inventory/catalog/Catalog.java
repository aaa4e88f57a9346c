package dev.emporium.inventory.catalog;

import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Page;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.emporium.inventory.catalog.Product.ProductId;
import dev.emporium.inventory.stock.Inventory;

/** The catalogue's use cases; the only way in. */
@Service
@Transactional(readOnly = true)
public class Catalog {

    private final Products products;
    private final ProductSearch search;
    private final Inventory inventory;

    Catalog(Products products, ProductSearch search, Inventory inventory) {
        this.products = products;
        this.search = search;
        this.inventory = inventory;
    }

    /**
     * @param text matched against name and SKU, ignoring case; null for all
     * @param category exact category; null for all
     * @param sort {@code name}, {@code sku}, {@code price} or {@code category}, optionally {@code ,desc}
     */
    public Page<Product> search(String text, String category, int page, int size, String sort) {
        return search.search(blankToNull(text), blankToNull(category), page, size, sort);
    }

    public Optional<Product> product(ProductId id) {
        return products.findById(id);
    }

    /** Adds a product with no stock; stock arrives through adjustments. */
    @Transactional
    public Product add(Product product) {
        try {
            Product saved = products.save(product);
            inventory.open(saved.id().value());
            return saved;
        }
        catch (DuplicateKeyException e) {
            throw new SkuTakenException(product.sku());
        }
    }

    /** Changes name, description, price and category; the SKU stays what it was. */
    @Transactional
    public Optional<Product> change(ProductId id, String name, String description, Money price, String category) {
        return products.findById(id)
            .map(current -> products.save(new Product(id, current.sku(), name, description, price, category, current.version())));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Another product already has this SKU. */
    public static class SkuTakenException extends RuntimeException {

        SkuTakenException(String sku) {
            super("A product with SKU " + sku + " already exists");
        }
    }
}
