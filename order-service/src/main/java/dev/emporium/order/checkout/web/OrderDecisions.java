package dev.emporium.order.checkout.web;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.emporium.order.checkout.Order;
import dev.emporium.order.checkout.OrderCancelled;
import dev.emporium.order.checkout.OrderDecided;
import dev.emporium.order.checkout.OrderManagement;

/**
 * Lets {@code GET /api/orders/{id}?wait=N} answer as soon as a pending order is decided, instead of
 * the shopper's client asking again and again. A decision made in this instance completes the waits
 * once its transaction has committed; one made by another instance is found by a look at the waited-for
 * orders every {@code emporium.orders.wait-check-interval}.
 * <p>
 * Waits are bounded: at most {@code emporium.orders.max-open-waits} requests wait at once in this
 * instance (beyond that {@link #decision} refuses, and the caller answers 503), each one's entry is
 * removed as soon as its request stops waiting, and the periodic look-up reads the waited-for orders
 * in chunks of {@value #LOOKUP_CHUNK}. The gauge {@code emporium.orders.waits.open} shows how many wait.
 */
@Component
class OrderDecisions {

    static final int LOOKUP_CHUNK = 500;

    /** One order's decision, and how many requests wait for it. */
    private record Wait(CompletableFuture<Order> decided, AtomicInteger waiting) {
    }

    private final OrderManagement orders;
    private final int maxOpen;
    private final ConcurrentMap<UUID, Wait> waits = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();

    OrderDecisions(OrderManagement orders, @Value("${emporium.orders.max-open-waits:1000}") int maxOpen, MeterRegistry meters) {
        this.orders = orders;
        this.maxOpen = maxOpen;
        Gauge.builder("emporium.orders.waits.open", open, AtomicInteger::get)
            .description("GET /api/orders/{id}?wait=N requests waiting for a decision in this instance")
            .register(meters);
    }

    /**
     * Completes when the order is no longer PENDING: with the order as decided here, or with null when
     * another instance decided it (read it then). Ask before reading the order, so that a decision made
     * between the read and the asking is not missed, and stop at once when the read shows an order the
     * caller may not see or one decided already. Complete the returned future (a timeout, or
     * {@code complete(null)}) to stop waiting: nothing is left behind.
     *
     * @throws TooManyWaitsException when {@code max-open-waits} requests wait already
     */
    CompletableFuture<Order> decision(UUID orderId) {
        if (open.incrementAndGet() > maxOpen) {
            open.decrementAndGet();
            throw new TooManyWaitsException(maxOpen);
        }
        Wait wait = waits.compute(orderId, (id, current) -> {
            Wait joined = current != null ? current : new Wait(new CompletableFuture<>(), new AtomicInteger());
            joined.waiting().incrementAndGet();
            return joined;
        });
        CompletableFuture<Order> mine = new CompletableFuture<>();
        wait.decided().whenComplete((order, failure) -> mine.complete(order));
        mine.whenComplete((order, failure) -> stoppedWaiting(orderId));
        return mine;
    }

    /** How many requests wait now (the gauge's value). */
    int open() {
        return open.get();
    }

    /** How many orders are waited for now. */
    int waitedFor() {
        return waits.size();
    }

    @TransactionalEventListener
    void decided(OrderDecided event) {
        complete(event.order().id().value(), event.order());
    }

    @TransactionalEventListener
    void cancelled(OrderCancelled event) {
        complete(event.order().id().value(), event.order());
    }

    /** Decisions made by other instances, read in bounded chunks. */
    @Scheduled(fixedDelayString = "${emporium.orders.wait-check-interval:500ms}")
    void lookForDecisionsElsewhere() {
        List<UUID> waitedFor = List.copyOf(waits.keySet());
        for (int from = 0; from < waitedFor.size(); from += LOOKUP_CHUNK) {
            orders.decidedAmong(waitedFor.subList(from, Math.min(waitedFor.size(), from + LOOKUP_CHUNK)))
                .forEach(orderId -> complete(orderId, null));
        }
    }

    private void stoppedWaiting(UUID orderId) {
        open.decrementAndGet();
        waits.computeIfPresent(orderId, (id, wait) -> wait.waiting().decrementAndGet() == 0 ? null : wait);
    }

    private void complete(UUID orderId, Order decided) {
        Wait wait = waits.get(orderId);
        if (wait != null) {
            wait.decided().complete(decided);
        }
    }

    /** Too many requests wait for decisions already; the caller may ask again without waiting, or later. */
    static class TooManyWaitsException extends RuntimeException {

        TooManyWaitsException(int limit) {
            super("Too many requests are waiting for order decisions right now (the limit is " + limit
                    + "); ask again in a moment, or without ?wait to read the order as it is.");
        }
    }
}
