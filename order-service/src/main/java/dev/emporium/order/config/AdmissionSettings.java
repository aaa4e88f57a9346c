package dev.emporium.order.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code emporium.orders.admission.*}: how many orders may wait for their saga at once.
 *
 * @param maxPending the most orders that may be PENDING at once (across every instance, as the database
 *        counts them); past the limit a new order is refused with a 503 instead of queued. With
 *        {@code adaptive} the limit moves between {@value #MIN_LIMIT} (or this, if lower) and this
 *        number; without, it is this number.
 * @param adaptive let the limit follow how fast the sagas decide: it shrinks by a tenth for every second
 *        in which more than a tenth of this instance's decisions waited longer than {@code decisionTarget},
 *        and grows by one for every second in which they did not while at least half of the limit was in
 *        use (Netflix concurrency-limits' AIMD limit, fed by decisions instead of requests)
 * @param decisionTarget how long, at the 90th percentile, an order may wait for its decision before the
 *        adaptive limit shrinks; the time a queued order waits is about limit / orders decided per second
 * @param recount how often the PENDING orders are counted again; between counts each instance adds the
 *        orders it admitted itself
 * @param retryAfter what the 503's {@code Retry-After} tells the client
 */
@ConfigurationProperties("emporium.orders.admission")
public record AdmissionSettings(@DefaultValue("1000") int maxPending, @DefaultValue("true") boolean adaptive,
        @DefaultValue("1s") Duration decisionTarget, @DefaultValue("250ms") Duration recount, @DefaultValue("1s") Duration retryAfter) {

    /** The adaptive limit starts here (or at {@code maxPending}, if lower). */
    public static final int INITIAL_LIMIT = 100;
    /** The adaptive limit never shrinks below this (or {@code maxPending}, if lower). */
    public static final int MIN_LIMIT = 10;

    public AdmissionSettings {
        if (maxPending < 1) {
            throw new IllegalArgumentException("emporium.orders.admission.max-pending must be at least 1, got " + maxPending);
        }
        if (decisionTarget.isNegative() || decisionTarget.isZero()) {
            throw new IllegalArgumentException("emporium.orders.admission.decision-target must be positive, got " + decisionTarget);
        }
    }
}
