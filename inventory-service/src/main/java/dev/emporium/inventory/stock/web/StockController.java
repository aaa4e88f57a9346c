package dev.emporium.inventory.stock.web;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.CodePointLength;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.emporium.inventory.stock.Adjustment;
import dev.emporium.inventory.stock.AuditFinding;
import dev.emporium.inventory.stock.Inventory;
import dev.emporium.inventory.stock.Inventory.NotEnoughStockException;
import dev.emporium.inventory.stock.Inventory.UnknownProductException;
import dev.emporium.inventory.stock.StockLevel;
import dev.emporium.web.Access;
import dev.emporium.web.ApiContract;

/** Stock administration, for administrators only (see SecurityConfiguration). */
@RestController
@Tag(name = "Stock", description = "Stock levels, adjustments and the reservation audit")
@Access(Access.Level.ADMINISTRATOR)
@RequestMapping("/api/inventory")
class StockController {

    private final Inventory inventory;

    StockController(Inventory inventory) {
        this.inventory = inventory;
    }

    record AdjustmentRequest(@Schema(description = "Units received (positive) or written off (negative)", example = "24")
            @NotNull @Min(-1_000_000) @Max(1_000_000)
            @dev.emporium.web.NotZero(message = "must not be 0: an adjustment changes the stock (units received, or written off with a minus)")
            Integer delta,
            @Schema(example = "delivery 2026-12-01") @NotBlank @CodePointLength(max = 200) String reason) {
    }

    /** Goods received ({@code delta > 0}) or written off ({@code delta < 0}); recorded in the audit trail. */
    @PostMapping("/{productId}/adjustments")
    @Operation(operationId = "adjustStock", summary = "Record goods received or written off")
    @ApiResponse(responseCode = "201", description = "The stock level after the adjustment", links = @Link(name = "adjustments",
            operationId = "listAdjustments", parameters = @LinkParameter(name = "productId", expression = "$request.path.productId")))
    @ApiResponse(responseCode = "404", description = "No product has this id")
    @ApiResponse(responseCode = "400", description = "Invalid: a delta of 0")
    @ApiResponse(responseCode = "409", description = "A write-off larger than what is available now; nothing was changed")
    ResponseEntity<StockLevel> adjust(@PathVariable UUID productId, @Valid @RequestBody AdjustmentRequest request,
            @AuthenticationPrincipal Jwt admin) {
        return ResponseEntity.status(HttpStatus.CREATED)
            .body(inventory.adjust(productId, request.delta(), request.reason().strip(), admin.getSubject()));
    }

    /** A product's adjustments, oldest first, a page at a time: the audit trail. */
    @GetMapping("/{productId}/adjustments")
    @Operation(operationId = "listAdjustments", summary = "A product's stock adjustments (the audit trail), a page at a time")
    @ApiResponse(responseCode = "200", description = "A page of the adjustments, oldest first")
    @ApiResponse(responseCode = "404", description = "No product has this id")
    PagedModel<Adjustment> adjustments(@PathVariable UUID productId,
            @Parameter(description = "From 0") @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(ApiContract.MAX_PAGE_SIZE) int size) {
        inventory.level(productId).orElseThrow(() -> new UnknownProductException(productId));
        return new PagedModel<>(inventory.adjustments(productId, PageRequest.of(page, size)));
    }

    @GetMapping("/{productId}")
    @Operation(operationId = "getStockLevel", summary = "A product's stock level")
    @ApiResponse(responseCode = "200", description = "The product's stock level")
    @ApiResponse(responseCode = "404", description = "No product has this id")
    StockLevel level(@PathVariable UUID productId) {
        return inventory.level(productId).orElseThrow(() -> new UnknownProductException(productId));
    }

    /**
     * Products whose stock does not add up ({@code available + reserved + sold} against the adjustments,
     * reserved and sold against the reservations); an empty list when the books are sound.
     */
    @GetMapping("/audit")
    @Operation(operationId = "auditStock", summary = "Check every reservation against its order")
    @ApiResponse(responseCode = "200", description = "The products whose books do not add up; empty when all do")
    List<AuditFinding> audit() {
        return inventory.audit();
    }

    @ExceptionHandler(NotEnoughStockException.class)
    ProblemDetail notEnoughStock(NotEnoughStockException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(UnknownProductException.class)
    ProblemDetail unknownProduct(UnknownProductException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }
}
