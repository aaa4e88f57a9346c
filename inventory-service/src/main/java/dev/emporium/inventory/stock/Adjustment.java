package dev.emporium.inventory.stock;

import java.time.Instant;

/** One entry of the audit trail: a change to a product's total stock, who made it and why. */
public record Adjustment(long id, int delta, String reason, String adjustedBy, Instant adjustedAt) {
}
