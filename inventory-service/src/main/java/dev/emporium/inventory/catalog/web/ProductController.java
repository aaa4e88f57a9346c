package dev.emporium.inventory.catalog.web;

import java.math.BigDecimal;
import java.util.UUID;

import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PageableDefault;
import org.springframework.data.web.PagedModel;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.emporium.inventory.catalog.Catalog;
import dev.emporium.inventory.catalog.Product;

@RestController
@RequestMapping("/api/products")
class ProductController {

    private final Catalog catalog;

    ProductController(Catalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping
    PagedModel<ProductResponse> products(@PageableDefault(size = 20, sort = "name", direction = Sort.Direction.ASC) Pageable pageable) {
        return new PagedModel<>(catalog.products(pageable).map(ProductResponse::of));
    }

    record ProductResponse(UUID id, String sku, String name, String description, Price price, String category) {

        static ProductResponse of(Product product) {
            return new ProductResponse(product.id().value(), product.sku(), product.name(), product.description(),
                    new Price(product.price().amount(), product.price().currency()), product.category());
        }
    }

    record Price(BigDecimal amount, String currency) {
    }
}
