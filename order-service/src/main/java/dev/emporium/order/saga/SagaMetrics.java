package dev.emporium.order.saga;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.emporium.order.checkout.Order;
import dev.emporium.order.checkout.OrderManagement;

/**
 * The saga's figures for Prometheus: {@code emporium_orders{status}} (orders in each status, counted in
 * the database so every instance reports the same) and {@code emporium_saga_step_seconds{step, reply}}
 * (from sending a step's command to receiving its answer).
 */
@Component
class SagaMetrics {

    private final MeterRegistry meters;
    private final OrderManagement orders;
    private final Map<Order.Status, AtomicLong> ordersByStatus = new ConcurrentHashMap<>();

    SagaMetrics(MeterRegistry meters, OrderManagement orders) {
        this.meters = meters;
        this.orders = orders;
        for (Order.Status status : Order.Status.values()) {
            AtomicLong count = new AtomicLong();
            ordersByStatus.put(status, count);
            Gauge.builder("emporium.orders", count, AtomicLong::get)
                .description("Orders in each status")
                .tag("status", status.name())
                .register(meters);
        }
    }

    void stepAnswered(String step, String reply, Duration took) {
        Timer.builder("emporium.saga.step")
            .description("Time from sending a saga step's command to receiving its reply")
            .tag("step", step)
            .tag("reply", reply)
            .publishPercentileHistogram()
            .register(meters)
            .record(took);
    }

    /** One count query every few seconds (all statuses at once), rather than one per scrape. */
    @Scheduled(fixedDelayString = "${emporium.saga.metrics-interval:5s}")
    void countOrders() {
        orders.countByStatus().forEach((status, count) -> ordersByStatus.get(status).set(count));
    }
}
