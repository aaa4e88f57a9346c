package dev.emporium.order.pricing;

/** inventory-service cannot price the order right now (down, slow, or its circuit breaker is open). */
public class PricingUnavailableException extends RuntimeException {

    public PricingUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
