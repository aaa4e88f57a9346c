package dev.emporium.inventory.catalog;

import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Page;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.emporium.inventory.Topics;
import dev.emporium.inventory.catalog.Product.ProductId;
import dev.emporium.inventory.stock.Inventory;
import dev.emporium.messaging.Outbox;
import dev.emporium.web.SortAllowList;

/**
 * The catalogue's use cases; the only way in. A new product and a changed price are announced on
 * {@code inventory-prices} ({@link ProductPriced}), in the transaction that writes them.
 */
@Service
@Transactional(readOnly = true)
public class Catalog {

    /** The sorts {@link #search} takes: name, sku, price or category, each with an optional direction. */
    public static final SortAllowList SORTABLE = ProductSearch.SORTABLE;

    private final Products products;
    private final ProductSearch search;
    private final Inventory inventory;
    private final Outbox outbox;

    Catalog(Products products, ProductSearch search, Inventory inventory, Outbox outbox) {
        this.products = products;
        this.search = search;
        this.inventory = inventory;
        this.outbox = outbox;
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
            announcePrice(saved);
            return saved;
        }
        catch (DuplicateKeyException e) {
            throw new SkuTakenException(product.sku());
        }
    }

    /** Changes name, description, price and category; the SKU stays what it was. */
    @Transactional
    public Optional<Product> change(ProductId id, String name, String description, Money price, String category) {
        return products.findById(id).map(current -> {
            Product saved = products.save(new Product(id, current.sku(), name, description, price, category, current.version()));
            if (!saved.price().equals(current.price())) {
                announcePrice(saved);
            }
            return saved;
        });
    }

    private void announcePrice(Product product) {
        UUID id = product.id().value();
        outbox.publish(Topics.PRICES, id.toString(), null,
                new ProductPriced(id, product.price().amount(), product.price().currency(), product.version()));
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
