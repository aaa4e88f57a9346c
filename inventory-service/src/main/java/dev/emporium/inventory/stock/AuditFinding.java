package dev.emporium.inventory.stock;

import java.util.UUID;

/**
 * A product whose stock does not add up: {@code available + reserved + sold} must equal
 * {@code adjusted}, {@code reserved} the lines of open reservations, {@code sold} those of committed ones.
 */
public record AuditFinding(UUID productId, int available, int reserved, int sold, long adjusted, long heldByReservations,
        long soldByReservations) {
}
