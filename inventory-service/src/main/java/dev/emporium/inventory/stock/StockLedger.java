package dev.emporium.inventory.stock;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.support.PageableExecutionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SQL of stock keeping. Every change is one conditional update whose {@code where} clause refuses
 * to take a counter below zero, so concurrent reservations can never oversell: the database decides
 * under its row lock, not the application after a read.
 */
@Repository
class StockLedger {

    private final JdbcClient jdbc;

    StockLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the stock rows of these products and of the lines of these orders' reservations, in
     * product order, until the transaction ends. Whoever takes several stock rows in one transaction
     * takes them this way first, so that no two transactions wait for each other in a cycle.
     */
    void lock(Collection<UUID> productIds, Collection<UUID> orderIds) {
        jdbc.sql("""
                select product_id from stock
                where product_id = any(:products)
                   or product_id in (select product_id from reservation_lines where order_id = any(:orders))
                order by product_id
                for update
                """)
            .param("products", productIds.toArray(UUID[]::new)).param("orders", orderIds.toArray(UUID[]::new))
            .query((row, n) -> row.getObject("product_id", UUID.class))
            .list();
    }

    Optional<StockLevel> level(UUID productId) {
        return jdbc.sql("select product_id, available, reserved, sold, low_stock_threshold from stock where product_id = :id")
            .param("id", productId)
            .query(StockLedger::level)
            .optional();
    }

    List<StockLevel> levels(List<UUID> productIds) {
        return jdbc.sql("select product_id, available, reserved, sold, low_stock_threshold from stock where product_id = any(:ids)")
            .param("ids", productIds.toArray(UUID[]::new))
            .query(StockLedger::level)
            .list();
    }

    void open(UUID productId) {
        jdbc.sql("insert into stock (product_id) values (:id) on conflict do nothing").param("id", productId).update();
    }

    /** Adds {@code delta} to what is available (negative to write stock off); false if that would go below zero. */
    boolean adjustAvailable(UUID productId, int delta) {
        return jdbc.sql("update stock set available = available + :delta where product_id = :id and available + :delta >= 0")
            .param("delta", delta).param("id", productId).update() == 1;
    }

    void recordAdjustment(UUID productId, int delta, String reason, String by, Instant at) {
        jdbc.sql("""
                insert into stock_adjustments (product_id, delta, reason, adjusted_by, adjusted_at)
                values (:id, :delta, :reason, :by, :at)
                """)
            .param("id", productId).param("delta", delta).param("reason", reason).param("by", by).param("at", Timestamp.from(at))
            .update();
    }

    /** One page of a product's adjustments, oldest first, and how many it has in all. */
    Page<Adjustment> adjustments(UUID productId, Pageable page) {
        List<Adjustment> some = jdbc.sql("""
                select id, delta, reason, adjusted_by, adjusted_at from stock_adjustments where product_id = :id
                order by id limit :size offset :offset
                """)
            .param("id", productId).param("size", page.getPageSize()).param("offset", page.getOffset())
            .query((row, n) -> new Adjustment(row.getLong("id"), row.getInt("delta"), row.getString("reason"),
                    row.getString("adjusted_by"), row.getTimestamp("adjusted_at").toInstant()))
            .list();
        return PageableExecutionUtils.getPage(some, page, () -> jdbc.sql("select count(*) from stock_adjustments where product_id = :id")
            .param("id", productId).query(Long.class).single());
    }

    /**
     * available -> reserved, only if enough is available.
     *
     * @return the stock after it, or empty if not enough was available (nothing changed)
     */
    Optional<StockLevel> reserve(UUID productId, int quantity) {
        return jdbc.sql("""
                update stock set available = available - :q, reserved = reserved + :q
                where product_id = :id and available >= :q
                returning product_id, available, reserved, sold, low_stock_threshold
                """).param("q", quantity).param("id", productId).query(StockLedger::level).optional();
    }

    /** reserved -> sold; the stock after it (read back by the update itself). */
    StockLevel sell(UUID productId, int quantity) {
        return required(jdbc.sql("""
                update stock set reserved = reserved - :q, sold = sold + :q where product_id = :id and reserved >= :q
                returning product_id, available, reserved, sold, low_stock_threshold
                """).param("q", quantity).param("id", productId).query(StockLedger::level).optional(), productId);
    }

    /** reserved -> available; the stock after it. */
    StockLevel unreserve(UUID productId, int quantity) {
        return required(jdbc.sql("""
                update stock set reserved = reserved - :q, available = available + :q where product_id = :id and reserved >= :q
                returning product_id, available, reserved, sold, low_stock_threshold
                """).param("q", quantity).param("id", productId).query(StockLedger::level).optional(), productId);
    }

    /** sold -> available: the goods of a cancelled order go back on the shelf; the stock after it. */
    StockLevel restock(UUID productId, int quantity) {
        return required(jdbc.sql("""
                update stock set sold = sold - :q, available = available + :q where product_id = :id and sold >= :q
                returning product_id, available, reserved, sold, low_stock_threshold
                """).param("q", quantity).param("id", productId).query(StockLedger::level).optional(), productId);
    }

    /** Products whose counters do not add up to their adjustments, or disagree with the open reservations. */
    List<AuditFinding> audit() {
        return jdbc.sql("""
                with adjusted as (select product_id, sum(delta) as total from stock_adjustments group by product_id),
                     held as (select l.product_id,
                                     sum(l.quantity) filter (where r.status = 'RESERVED') as reserved,
                                     sum(l.quantity) filter (where r.status = 'COMMITTED') as sold
                              from reservation_lines l join reservations r on r.order_id = l.order_id group by l.product_id)
                select s.product_id, s.available, s.reserved, s.sold,
                       coalesce(a.total, 0) as adjusted, coalesce(h.reserved, 0) as held_reserved, coalesce(h.sold, 0) as held_sold
                from stock s left join adjusted a on a.product_id = s.product_id left join held h on h.product_id = s.product_id
                where s.available + s.reserved + s.sold <> coalesce(a.total, 0)
                   or s.reserved <> coalesce(h.reserved, 0)
                   or s.sold <> coalesce(h.sold, 0)
                   or s.available < 0 or s.reserved < 0 or s.sold < 0
                order by s.product_id
                """)
            .query((row, n) -> new AuditFinding(row.getObject("product_id", UUID.class), row.getInt("available"),
                    row.getInt("reserved"), row.getInt("sold"), row.getLong("adjusted"), row.getLong("held_reserved"),
                    row.getLong("held_sold")))
            .list();
    }

    private static StockLevel required(Optional<StockLevel> updated, UUID productId) {
        return updated.orElseThrow(() -> new IllegalStateException("Stock of product " + productId + " does not cover a reservation it holds;"
                + " the audit endpoint (GET /api/inventory/audit) shows what is off"));
    }

    private static StockLevel level(java.sql.ResultSet row, int n) throws java.sql.SQLException {
        return new StockLevel(row.getObject("product_id", UUID.class), row.getInt("available"), row.getInt("reserved"),
                row.getInt("sold"), row.getInt("low_stock_threshold"));
    }
}
