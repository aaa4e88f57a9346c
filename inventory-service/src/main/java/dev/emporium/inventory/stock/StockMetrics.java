package dev.emporium.inventory.stock;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Stock figures for Prometheus, counted in the database so every instance reports the same:
 * {@code emporium_stock_reservations{status}} (reservations per status: RESERVED ones are held right
 * now) and {@code emporium_stock_units{state}} (units available, reserved and sold over all products).
 */
@Component
class StockMetrics {

    private static final String[] STATUSES = { "RESERVED", "COMMITTED", "RELEASED", "EXPIRED" };
    private static final String[] STATES = { "available", "reserved", "sold" };

    private final JdbcClient jdbc;
    private final Map<String, AtomicLong> reservations = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> units = new ConcurrentHashMap<>();

    StockMetrics(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        for (String status : STATUSES) {
            Gauge.builder("emporium.stock.reservations", reservations.computeIfAbsent(status, s -> new AtomicLong()), AtomicLong::get)
                .description("Stock reservations in each status; RESERVED ones hold stock now")
                .tag("status", status)
                .register(meters);
        }
        for (String state : STATES) {
            Gauge.builder("emporium.stock.units", units.computeIfAbsent(state, s -> new AtomicLong()), AtomicLong::get)
                .description("Units of all products that are available, reserved for an order, or sold")
                .tag("state", state)
                .register(meters);
        }
    }

    /** Two aggregate queries every few seconds, rather than per scrape. */
    @Scheduled(fixedDelayString = "${emporium.inventory.metrics-interval:5s}")
    void count() {
        reservations.values().forEach(count -> count.set(0));
        jdbc.sql("select status, count(*) as n from reservations group by status")
            .query((row, n) -> Map.entry(row.getString("status"), row.getLong("n")))
            .list()
            .forEach(entry -> reservations.computeIfAbsent(entry.getKey(), s -> new AtomicLong()).set(entry.getValue()));
        jdbc.sql("select coalesce(sum(available), 0) as available, coalesce(sum(reserved), 0) as reserved,"
                + " coalesce(sum(sold), 0) as sold from stock")
            .query((org.springframework.jdbc.core.RowCallbackHandler) row -> {
                for (String state : STATES) {
                    units.get(state).set(row.getLong(state));
                }
            });
    }
}
