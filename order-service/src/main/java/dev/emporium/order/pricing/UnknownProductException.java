package dev.emporium.order.pricing;

import java.util.UUID;

/** The catalogue has no such product: the client's mistake, never a reason to open the breaker. */
public class UnknownProductException extends RuntimeException {

    public UnknownProductException(UUID productId) {
        super("No product has the id " + productId);
    }
}
