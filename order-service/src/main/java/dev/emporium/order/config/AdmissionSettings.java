package dev.emporium.order.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code emporium.orders.admission.*}: how many orders may wait for their saga at once.
 *
 * @param maxPending orders PENDING (across every instance, as the database counts them) above which a
 *        new order is refused with a 503 instead of queued; the saga's backlog, and so the time an
 *        order waits for its decision, stays bounded: about {@code maxPending} / orders decided per second
 * @param recount how often the PENDING orders are counted again; between counts each instance adds the
 *        orders it admitted itself
 * @param retryAfter what the 503's {@code Retry-After} tells the client
 */
@ConfigurationProperties("emporium.orders.admission")
public record AdmissionSettings(@DefaultValue("100") int maxPending, @DefaultValue("250ms") Duration recount,
        @DefaultValue("1s") Duration retryAfter) {

    public AdmissionSettings {
        if (maxPending < 1) {
            throw new IllegalArgumentException("emporium.orders.admission.max-pending must be at least 1, got " + maxPending);
        }
    }
}
