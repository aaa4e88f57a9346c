package dev.emporium.order.checkout;

/** An order was cancelled; whatever it holds is given back, in the same transaction's messages. */
public record OrderCancelled(Order order) {
}
