package dev.emporium.observability;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;

/**
 * What is not observed at all (no span, no timer):
 * <ul>
 * <li>health probes and Prometheus scrapes: many per minute, never part of a shopper's story;</li>
 * <li>Spring Security's filter-chain bookkeeping: a before and an after span in every request;</li>
 * <li>the {@code @Scheduled} pollers themselves. What they decide still shows: a message they write
 * starts its own trace at {@code outbox write} (see {@link TraceRoots}), e.g. a saga step retried
 * after a timeout or a stock reservation that expired.</li>
 * </ul>
 */
public final class Unobserved implements ObservationPredicate {

    @Override
    public boolean test(String name, Observation.Context context) {
        if (name.equals("spring.security.filterchains") || name.equals("tasks.scheduled.execution")) {
            return false;
        }
        String path = Requests.path(context);
        return path == null || !path.startsWith("/actuator");
    }
}
