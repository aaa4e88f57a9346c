package dev.emporium.order.checkout;

import java.time.Duration;

/**
 * A new order refused because too many orders wait for their saga already, or too many are being
 * placed at this moment; nothing was written.
 */
public class OrdersBusyException extends RuntimeException {

    private final Duration retryAfter;

    OrdersBusyException(long pending, int limit, Duration retryAfter) {
        this("The shop is taking more orders than it can decide right now (" + pending + " are waiting, the limit is " + limit
                + "); nothing was ordered. Try again in " + seconds(retryAfter) + " s with the same Idempotency-Key.", retryAfter);
    }

    private OrdersBusyException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** As many orders as the placement bulkhead takes are being placed at this moment. */
    static OrdersBusyException placingTooMany(int atOnce, Duration retryAfter) {
        return new OrdersBusyException("The shop is placing as many orders as it can at once (" + atOnce
                + "); nothing was ordered. Try again in " + seconds(retryAfter) + " s with the same Idempotency-Key.", retryAfter);
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** For the {@code Retry-After} header: whole seconds, at least one. */
    public long retryAfterSeconds() {
        return seconds(retryAfter);
    }

    private static long seconds(Duration duration) {
        return Math.max(1, duration.toSeconds());
    }
}
