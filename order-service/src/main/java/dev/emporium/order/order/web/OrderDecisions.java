package dev.emporium.order.order.web;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.emporium.order.order.Order;
import dev.emporium.order.order.OrderCancelled;
import dev.emporium.order.order.OrderDecided;
import dev.emporium.order.order.OrderManagement;

/**
 * Lets {@code GET /api/orders/{id}?wait=N} answer as soon as a pending order is decided, instead of
 * the shopper's client asking again and again. A decision made in this instance completes the waits
 * once its transaction has committed; one made by another instance is found by a look at the waited-for
 * orders every {@code emporium.orders.wait-check-interval}.
 */
@Component
class OrderDecisions {

    private final OrderManagement orders;
    private final ConcurrentMap<UUID, CompletableFuture<Order>> waits = new ConcurrentHashMap<>();

    OrderDecisions(OrderManagement orders) {
        this.orders = orders;
    }

    /**
     * Completes when the order is no longer PENDING: with the order as decided here, or with null when
     * another instance decided it (read it then). Ask before reading the order, so a decision made
     * between the read and this call is not missed; a caller that stops waiting leaves nothing behind
     * (see {@link #lookForDecisionsElsewhere}).
     */
    CompletableFuture<Order> decision(UUID orderId) {
        return waits.computeIfAbsent(orderId, id -> new CompletableFuture<>()).thenApply(done -> done);
    }

    @TransactionalEventListener
    void decided(OrderDecided event) {
        complete(event.order().id().value(), event.order());
    }

    @TransactionalEventListener
    void cancelled(OrderCancelled event) {
        complete(event.order().id().value(), event.order());
    }

    /** Decisions made by other instances; and waits nobody listens to any more are dropped. */
    @Scheduled(fixedDelayString = "${emporium.orders.wait-check-interval:500ms}")
    void lookForDecisionsElsewhere() {
        waits.entrySet().removeIf(wait -> wait.getValue().getNumberOfDependents() == 0);
        orders.decidedAmong(List.copyOf(waits.keySet())).forEach(orderId -> complete(orderId, null));
    }

    private void complete(UUID orderId, Order decided) {
        CompletableFuture<Order> wait = waits.remove(orderId);
        if (wait != null) {
            wait.complete(decided);
        }
    }
}
