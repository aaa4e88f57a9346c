package dev.emporium.inventory.stock;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/** One entry of the audit trail: a change to a product's total stock, who made it and why. */
@Schema(description = "One entry of a product's stock audit trail")
public record Adjustment(
        @Schema(description = "Increasing with every adjustment", example = "17", requiredMode = Schema.RequiredMode.REQUIRED) long id,
        @Schema(description = "Units received (positive) or written off (negative)", example = "24", requiredMode = Schema.RequiredMode.REQUIRED) int delta,
        @Schema(description = "Why, as the administrator wrote it", example = "delivery 2026-12-01", requiredMode = Schema.RequiredMode.REQUIRED) String reason,
        @Schema(description = "Who made it: the administrator's account id (`demo-seed` for the demo catalogue's opening stock)", requiredMode = Schema.RequiredMode.REQUIRED) String adjustedBy,
        @Schema(description = "When", requiredMode = Schema.RequiredMode.REQUIRED) Instant adjustedAt) {
}
