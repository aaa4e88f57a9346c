package dev.emporium.order.checkout;

import java.time.Duration;

/** A new order refused because too many orders wait for their saga already; nothing was written. */
public class OrdersBusyException extends RuntimeException {

    private final Duration retryAfter;

    OrdersBusyException(long pending, int limit, Duration retryAfter) {
        super("The shop is taking more orders than it can decide right now (" + pending + " are waiting, the limit is " + limit
                + "); nothing was ordered. Try again in " + seconds(retryAfter) + " s with the same Idempotency-Key.");
        this.retryAfter = retryAfter;
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
