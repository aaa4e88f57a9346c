package dev.emporium.inventory.catalog.web;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.data.domain.Page;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.emporium.inventory.catalog.Catalog;
import dev.emporium.inventory.catalog.Catalog.SkuTakenException;
import dev.emporium.inventory.catalog.Money;
import dev.emporium.inventory.catalog.Product;
import dev.emporium.inventory.catalog.Product.ProductId;
import dev.emporium.inventory.stock.Inventory;
import dev.emporium.inventory.stock.StockLevel;

/** The catalogue: anyone may read it; administrators add and change products (see SecurityConfiguration). */
@RestController
@RequestMapping("/api/products")
class ProductController {

    static final int MAX_PAGE_SIZE = 100;

    private final Catalog catalog;
    private final Inventory inventory;

    ProductController(Catalog catalog, Inventory inventory) {
        this.catalog = catalog;
        this.inventory = inventory;
    }

    record PriceRequest(@NotNull @DecimalMin("0.00") @Digits(integer = 10, fraction = 2) BigDecimal amount,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency) {
    }

    record ProductRequest(@NotBlank @Size(max = 64) String sku, @NotBlank @Size(max = 200) String name,
            @Size(max = 2000) String description, @NotNull @Valid PriceRequest price, @Size(max = 100) String category) {
    }

    record ProductChange(@NotBlank @Size(max = 200) String name, @Size(max = 2000) String description,
            @NotNull @Valid PriceRequest price, @Size(max = 100) String category) {
    }

    record Price(BigDecimal amount, String currency) {
    }

    record ProductResponse(UUID id, String sku, String name, String description, Price price, String category, int available) {

        static ProductResponse of(Product product, StockLevel stock) {
            return new ProductResponse(product.id().value(), product.sku(), product.name(), product.description(),
                    new Price(product.price().amount(), product.price().currency()), product.category(),
                    stock == null ? 0 : stock.available());
        }
    }

    @GetMapping
    PagedModel<ProductResponse> products(@RequestParam(required = false) @Size(max = 100) String q,
            @RequestParam(required = false) @Size(max = 100) String category,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(MAX_PAGE_SIZE) int size,
            @RequestParam(defaultValue = "name") String sort) {
        Page<Product> found = catalog.search(q, category, page, size, sort);
        Map<UUID, StockLevel> stock = inventory.levels(found.map(product -> product.id().value()).getContent());
        return new PagedModel<>(found.map(product -> ProductResponse.of(product, stock.get(product.id().value()))));
    }

    @GetMapping("/{id}")
    ProductResponse product(@PathVariable UUID id) {
        Product product = catalog.product(new ProductId(id)).orElseThrow(() -> notFound(id));
        return ProductResponse.of(product, inventory.level(id).orElse(null));
    }

    @PostMapping
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201", description = "The product, created; its URL in Location")
    ResponseEntity<ProductResponse> add(@Valid @RequestBody ProductRequest request) {
        Product product = catalog.add(Product.create(request.sku().strip(), request.name(), request.description(),
                new Money(request.price().amount(), request.price().currency()), request.category()));
        return ResponseEntity.created(URI.create("/api/products/" + product.id().value()))
            .body(ProductResponse.of(product, inventory.level(product.id().value()).orElse(null)));
    }

    @PutMapping("/{id}")
    ProductResponse change(@PathVariable UUID id, @Valid @RequestBody ProductChange request) {
        Product product = catalog.change(new ProductId(id), request.name(), request.description(),
                new Money(request.price().amount(), request.price().currency()), request.category())
            .orElseThrow(() -> notFound(id));
        return ProductResponse.of(product, inventory.level(id).orElse(null));
    }

    @ExceptionHandler(SkuTakenException.class)
    ProblemDetail skuTaken(SkuTakenException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    private static ResponseStatusException notFound(UUID id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No product has the id " + id);
    }
}
