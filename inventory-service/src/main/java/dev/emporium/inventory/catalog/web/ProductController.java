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
import org.hibernate.validator.constraints.CodePointLength;
import org.springframework.data.domain.Page;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.links.Link;
import io.swagger.v3.oas.annotations.links.LinkParameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
import dev.emporium.web.Access;
import dev.emporium.web.ApiContract;
import dev.emporium.web.ShopCurrency;
import dev.emporium.web.SortAllowList;

/** The catalogue: anyone may read it; administrators add and change products (see SecurityConfiguration). */
@RestController
@Tag(name = "Products", description = "The catalogue: search, product pages, prices and availability")
@Access(Access.Level.ADMINISTRATOR)
@RequestMapping("/api/products")
class ProductController {

    /** The sorts the search takes, which the OpenAPI document lists (see ApiContract). */
    static final SortAllowList SORTABLE = Catalog.SORTABLE;

    private final Catalog catalog;
    private final Inventory inventory;

    ProductController(Catalog catalog, Inventory inventory) {
        this.catalog = catalog;
        this.inventory = inventory;
    }

    @Schema(description = "Money: an amount with two decimals in the shop's currency (ISO 4217)")
    record PriceRequest(@Schema(example = "24.90") @NotNull @DecimalMin("0.00") @Digits(integer = 10, fraction = 2) BigDecimal amount,
            @Schema(example = "EUR") @NotNull @ShopCurrency String currency) {
    }

    @Schema(description = "A new product; its stock starts at 0 (adjust it at /api/inventory)")
    record ProductRequest(@Schema(description = "Unique", example = "MUG-001") @NotBlank @CodePointLength(max = 64) String sku,
            @Schema(example = "Enamel mug") @NotBlank @CodePointLength(max = 200) String name,
            @Schema(example = "Blue, 350 ml") @CodePointLength(max = 2000) String description, @NotNull @Valid PriceRequest price,
            @Schema(example = "kitchen") @CodePointLength(max = 100) String category) {
    }

    @Schema(description = "A product's new name, description, price and category (its SKU never changes)")
    record ProductChange(@Schema(example = "Enamel mug") @NotBlank @CodePointLength(max = 200) String name,
            @Schema(example = "Blue, 350 ml") @CodePointLength(max = 2000) String description,
            @NotNull @Valid PriceRequest price, @Schema(example = "kitchen") @CodePointLength(max = 100) String category) {
    }

    @Schema(description = "Money: an amount with two decimals and its ISO 4217 currency")
    record Price(@Schema(example = "24.90", requiredMode = Schema.RequiredMode.REQUIRED) BigDecimal amount, @Schema(example = "EUR", requiredMode = Schema.RequiredMode.REQUIRED) String currency) {
    }

    @Schema(description = "A product of the catalogue, with how many can be ordered now")
    record ProductResponse(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) UUID id, @Schema(example = "MUG-001", requiredMode = Schema.RequiredMode.REQUIRED) String sku,
            @Schema(example = "Enamel mug", requiredMode = Schema.RequiredMode.REQUIRED) String name, @Schema(example = "Blue, 350 ml", nullable = true) String description,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Price price, @Schema(example = "kitchen", nullable = true) String category,
            @Schema(description = "In stock and not held by an order's reservation", example = "42", requiredMode = Schema.RequiredMode.REQUIRED) int available) {

        static ProductResponse of(Product product, StockLevel stock) {
            return new ProductResponse(product.id().value(), product.sku(), product.name(), product.description(),
                    new Price(product.price().amount(), product.price().currency()), product.category(),
                    stock == null ? 0 : stock.available());
        }
    }

    /** Searches the catalogue by words of the name or description, and by category, a page at a time. */
    @GetMapping
    @Operation(operationId = "searchProducts", summary = "Search the catalogue")
    @Access(Access.Level.ANONYMOUS)
    @ApiResponse(responseCode = "200", description = "A page of products")
    PagedModel<ProductResponse> products(@Parameter(description = "Words to look for", example = "mug") @RequestParam(required = false) @CodePointLength(max = 100) String q,
            @Parameter(example = "kitchen") @RequestParam(required = false) @CodePointLength(max = 100) String category,
            @Parameter(description = "From 0") @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(ApiContract.MAX_PAGE_SIZE) int size,
            @Parameter(description = "name, sku, price or category, optionally followed by ,asc or ,desc", example = "price,desc")
            @RequestParam(defaultValue = "name") String sort) {
        Page<Product> found = catalog.search(q, category, page, size, sort);
        Map<UUID, StockLevel> stock = inventory.levels(found.map(product -> product.id().value()).getContent());
        return new PagedModel<>(found.map(product -> ProductResponse.of(product, stock.get(product.id().value()))));
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getProduct", summary = "One product: price and availability")
    @Access(Access.Level.ANONYMOUS)
    @ApiResponse(responseCode = "200", description = "The product")
    @ApiResponse(responseCode = "404", description = "No product has this id")
    ProductResponse product(@PathVariable UUID id) {
        Product product = catalog.product(new ProductId(id)).orElseThrow(() -> notFound(id));
        return ProductResponse.of(product, inventory.level(id).orElse(null));
    }

    @PostMapping
    @Operation(operationId = "addProduct", summary = "Add a product")
    @ApiResponse(responseCode = "201", description = "The product, created; its URL in Location", links = {
            @Link(name = "product", operationId = "getProduct", parameters = @LinkParameter(name = "id", expression = "$response.body#/id")),
            @Link(name = "change", operationId = "changeProduct", parameters = @LinkParameter(name = "id", expression = "$response.body#/id")),
            @Link(name = "stock", operationId = "getStockLevel", parameters = @LinkParameter(name = "productId", expression = "$response.body#/id")),
            @Link(name = "adjustStock", operationId = "adjustStock", parameters = @LinkParameter(name = "productId", expression = "$response.body#/id")) })
    @ApiResponse(responseCode = "409", description = "Another product has this SKU")
    ResponseEntity<ProductResponse> add(@Valid @RequestBody ProductRequest request) {
        Product product = catalog.add(Product.create(request.sku().strip(), request.name(), request.description(),
                new Money(request.price().amount(), request.price().currency()), request.category()));
        return ResponseEntity.created(URI.create("/api/products/" + product.id().value()))
            .body(ProductResponse.of(product, inventory.level(product.id().value()).orElse(null)));
    }

    @PutMapping("/{id}")
    @Operation(operationId = "changeProduct", summary = "Change a product's name, description, category or price")
    @ApiResponse(responseCode = "200", description = "The product as changed")
    @ApiResponse(responseCode = "404", description = "No product has this id")
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
