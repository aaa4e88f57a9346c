package dev.emporium.inventory.stock;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of reservations: one row per order, its lines, and their status. */
@Repository
class Reservations {

    enum Status {
        RESERVED, COMMITTED, RELEASED, EXPIRED
    }

    private final JdbcClient jdbc;

    Reservations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The order's reservation status, row-locked until the transaction ends. */
    Optional<Status> lock(UUID orderId) {
        return jdbc.sql("select status from reservations where order_id = :id for update")
            .param("id", orderId)
            .query((row, n) -> Status.valueOf(row.getString("status")))
            .optional();
    }

    List<Line> lines(UUID orderId) {
        return jdbc.sql("select product_id, quantity from reservation_lines where order_id = :id order by product_id")
            .param("id", orderId)
            .query((row, n) -> new Line(row.getObject("product_id", UUID.class), row.getInt("quantity")))
            .list();
    }

    void insert(UUID orderId, Status status, List<Line> lines, Instant now, Instant expiresAt, String reason) {
        jdbc.sql("""
                insert into reservations (order_id, status, reason, created_at, expires_at, updated_at)
                values (:id, :status, :reason, :now, :expiresAt, :now)
                """)
            .param("id", orderId).param("status", status.name()).param("reason", reason)
            .param("now", Timestamp.from(now)).param("expiresAt", Timestamp.from(expiresAt))
            .update();
        for (Line line : lines) {
            jdbc.sql("insert into reservation_lines (order_id, product_id, quantity) values (:id, :product, :quantity)")
                .param("id", orderId).param("product", line.productId()).param("quantity", line.quantity())
                .update();
        }
    }

    void moveTo(UUID orderId, Status status, String reason, Instant now) {
        jdbc.sql("update reservations set status = :status, reason = :reason, updated_at = :now where order_id = :id")
            .param("status", status.name()).param("reason", reason).param("now", Timestamp.from(now)).param("id", orderId)
            .update();
    }

    /** Open reservations past their deadline, the oldest first; not locked. */
    List<UUID> overdue(Instant now, int limit) {
        return jdbc.sql("select order_id from reservations where status = 'RESERVED' and expires_at < :now order by expires_at limit :limit")
            .param("now", Timestamp.from(now)).param("limit", limit)
            .query((row, n) -> row.getObject("order_id", UUID.class))
            .list();
    }

    /**
     * Of these reservations, those still open and past their deadline, locked; one locked by another
     * transaction (a command for that order, another instance expiring it) is skipped, not waited for.
     */
    List<UUID> lockStillOverdue(List<UUID> orderIds, Instant now) {
        return jdbc.sql("""
                select order_id from reservations where order_id = any(:ids) and status = 'RESERVED' and expires_at < :now
                order by expires_at for update skip locked
                """)
            .param("ids", orderIds.toArray(UUID[]::new)).param("now", Timestamp.from(now))
            .query((row, n) -> row.getObject("order_id", UUID.class))
            .list();
    }
}
