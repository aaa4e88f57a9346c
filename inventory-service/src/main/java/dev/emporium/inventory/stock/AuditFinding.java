package dev.emporium.inventory.stock;

import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A product whose stock does not add up: {@code available + reserved + sold} must equal
 * {@code adjusted}, {@code reserved} the lines of open reservations, {@code sold} those of committed ones.
 */
@Schema(description = "A product whose stock does not add up: available + reserved + sold must equal adjusted, reserved must equal"
        + " heldByReservations and sold soldByReservations")
public record AuditFinding(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) UUID productId,
        @Schema(description = "Units that can be ordered", requiredMode = Schema.RequiredMode.REQUIRED) int available,
        @Schema(description = "Units held by open reservations, by the stock row", requiredMode = Schema.RequiredMode.REQUIRED) int reserved,
        @Schema(description = "Units sold, by the stock row", requiredMode = Schema.RequiredMode.REQUIRED) int sold,
        @Schema(description = "The sum of every adjustment of the product", requiredMode = Schema.RequiredMode.REQUIRED) long adjusted,
        @Schema(description = "Units on the lines of open reservations", requiredMode = Schema.RequiredMode.REQUIRED) long heldByReservations,
        @Schema(description = "Units on the lines of committed reservations", requiredMode = Schema.RequiredMode.REQUIRED) long soldByReservations) {
}
