package dev.emporium.observability;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import io.opentelemetry.api.trace.Span;

/**
 * What is not observed at all (no span, no timer):
 * <ul>
 * <li>health probes and Prometheus scrapes: many per minute, never part of a shopper's story;</li>
 * <li>Spring Security's filter-chain bookkeeping: a before and an after span in every request;</li>
 * <li>the {@code @Scheduled} pollers themselves. What they decide still shows: a message they write
 * starts its own trace at {@code outbox write} (see {@link TraceRoots}), e.g. a saga step retried
 * after a timeout or a stock reservation that expired.</li>
 * <li>SQL (datasource-micrometer's {@code jdbc.*}) outside a sampled trace: a statement's span would
 * be dropped anyway, and observing it is not free: a span per statement is a large share of a
 * service's work on a simple GET. With 100 % sampling (the local run) every statement of an order still
 * shows; with {@code EMPORIUM_TRACE_SAMPLING=0.1} nine orders in ten no longer pay for it, and the
 * pollers' SQL, which has no trace, never does.</li>
 * </ul>
 */
public final class Unobserved implements ObservationPredicate {

    @Override
    public boolean test(String name, Observation.Context context) {
        if (name.equals("spring.security.filterchains") || name.equals("tasks.scheduled.execution")) {
            return false;
        }
        if (name.startsWith("jdbc.")) {
            return Span.current().getSpanContext().isSampled();
        }
        String path = Requests.path(context);
        return path == null || !path.startsWith("/actuator");
    }
}
