package dev.emporium.order.checkout;

/** The saga confirmed or rejected an order (published in the transaction that decided it). */
public record OrderDecided(Order order) {
}
