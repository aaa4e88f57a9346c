package dev.emporium.inventory.stock.web;

import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.emporium.inventory.stock.Adjustment;
import dev.emporium.inventory.stock.AuditFinding;
import dev.emporium.inventory.stock.Inventory;
import dev.emporium.inventory.stock.Inventory.UnknownProductException;
import dev.emporium.inventory.stock.StockLevel;

/** Stock administration, for administrators only (see SecurityConfiguration). */
@RestController
@RequestMapping("/api/inventory")
class StockController {

    private final Inventory inventory;

    StockController(Inventory inventory) {
        this.inventory = inventory;
    }

    record AdjustmentRequest(@NotNull @Min(-1_000_000) @Max(1_000_000) Integer delta, @NotBlank @Size(max = 200) String reason) {
    }

    /** Goods received ({@code delta > 0}) or written off ({@code delta < 0}); recorded in the audit trail. */
    @PostMapping("/{productId}/adjustments")
    ResponseEntity<StockLevel> adjust(@PathVariable UUID productId, @Valid @RequestBody AdjustmentRequest request,
            @AuthenticationPrincipal Jwt admin) {
        return ResponseEntity.status(HttpStatus.CREATED)
            .body(inventory.adjust(productId, request.delta(), request.reason().strip(), admin.getSubject()));
    }

    @GetMapping("/{productId}/adjustments")
    List<Adjustment> adjustments(@PathVariable UUID productId) {
        inventory.level(productId).orElseThrow(() -> new UnknownProductException(productId));
        return inventory.adjustments(productId);
    }

    @GetMapping("/{productId}")
    StockLevel level(@PathVariable UUID productId) {
        return inventory.level(productId).orElseThrow(() -> new UnknownProductException(productId));
    }

    /**
     * Products whose stock does not add up ({@code available + reserved + sold} against the adjustments,
     * reserved and sold against the reservations); an empty list when the books are sound.
     */
    @GetMapping("/audit")
    List<AuditFinding> audit() {
        return inventory.audit();
    }

    @ExceptionHandler(UnknownProductException.class)
    ProblemDetail unknownProduct(UnknownProductException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }
}
