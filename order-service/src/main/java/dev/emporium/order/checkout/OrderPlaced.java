package dev.emporium.order.checkout;

/** A new order was saved PENDING; the place-order saga starts in the same transaction. */
public record OrderPlaced(Order order) {
}
