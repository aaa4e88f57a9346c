package dev.emporium.inventory.catalog;

import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.emporium.inventory.catalog.Product.ProductId;

/** The catalogue's use cases; the only way in. */
@Service
@Transactional(readOnly = true)
public class Catalog {

    private final Products products;

    Catalog(Products products) {
        this.products = products;
    }

    public Page<Product> products(Pageable pageable) {
        return products.findAll(pageable);
    }

    public Optional<Product> product(ProductId id) {
        return products.findById(id);
    }

    @Transactional
    public Product add(Product product) {
        return products.save(product);
    }
}
