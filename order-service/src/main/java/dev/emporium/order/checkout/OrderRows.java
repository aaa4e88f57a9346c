package dev.emporium.order.checkout;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.emporium.order.checkout.Order.OrderId;

/**
 * The order on the order path, in plain SQL: placing it (two inserts), reading one by id (one
 * query, its lines joined) and writing its decision (one update, checked against its version). Every order passes here once at placement and several times afterwards
 * (each saga reply, the shopper's {@code ?wait=}), so these skip the mapping work Spring Data
 * JDBC's aggregate does on each call. The paged lists stay in {@link Orders}; both read and write the
 * same tables and the same {@code version}.
 */
@Repository
class OrderRows {

    private final JdbcClient jdbc;

    OrderRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a new order and its lines; it comes back at version 0, as its first write. */
    Order insert(Order order) {
        Order stored = new Order(order.id(), order.customerId(), order.status(), order.total(), order.reason(), order.placedAt(),
                order.lines(), 0);
        jdbc.sql("""
                insert into orders (id, customer_id, status, total_amount, total_currency, reason, placed_at, version)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            .params(stored.id().value(), stored.customerId(), stored.status().name(), stored.total().amount(), stored.total().currency(),
                    stored.reason(), Timestamp.from(stored.placedAt()), stored.version())
            .update();
        List<Object> values = new ArrayList<>(stored.lines().size() * 5);
        for (int n = 0; n < stored.lines().size(); n++) {
            OrderLine line = stored.lines().get(n);
            values.addAll(List.of(stored.id().value(), n, line.productId(), line.quantity(), line.unitPrice()));
        }
        jdbc.sql("insert into order_lines (order_id, line_no, product_id, quantity, unit_price) values "
                + String.join(", ", Collections.nCopies(stored.lines().size(), "(?, ?, ?, ?, ?)")))
            .params(values)
            .update();
        return stored;
    }

    /**
     * Writes a decision or a cancellation. Once an order is placed only its status and reason change;
     * its lines are never written again.
     *
     * @return 1, or 0 when another transaction changed the order after {@code version} was read
     */
    int writeStatus(Order changed) {
        return jdbc.sql("update orders set status = ?, reason = ?, version = version + 1 where id = ? and version = ?")
            .params(changed.status().name(), changed.reason(), changed.id().value(), changed.version())
            .update();
    }

    Optional<Order> find(OrderId id) {
        return jdbc.sql("""
                select o.customer_id, o.status, o.total_amount, o.total_currency, o.reason, o.placed_at, o.version,
                       l.product_id, l.quantity, l.unit_price
                from orders o left join order_lines l on l.order_id = o.id
                where o.id = ?
                order by l.line_no
                """)
            .param(id.value())
            .query(rows -> rows.next() ? Optional.of(order(id, rows)) : Optional.<Order>empty());
    }

    /** The order on the current row and its lines on this row and the ones after it. */
    private static Order order(OrderId id, ResultSet rows) throws SQLException {
        UUID customerId = rows.getObject("customer_id", UUID.class);
        Order.Status status = Order.Status.valueOf(rows.getString("status"));
        Money total = new Money(rows.getBigDecimal("total_amount"), rows.getString("total_currency"));
        String reason = rows.getString("reason");
        Timestamp placedAt = rows.getTimestamp("placed_at");
        int version = rows.getInt("version");
        List<OrderLine> lines = new ArrayList<>();
        do {
            UUID product = rows.getObject("product_id", UUID.class);
            if (product != null) {
                lines.add(new OrderLine(product, rows.getInt("quantity"), rows.getBigDecimal("unit_price")));
            }
        } while (rows.next());
        return new Order(id, customerId, status, total, reason, placedAt.toInstant(), lines, version);
    }
}
