package dev.emporium.order.saga;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;

import dev.emporium.messaging.RowsAtCommit;

/**
 * Where each saga stands (one row per order: running or done, the steps whose replies it still
 * awaits, the attempts, the deadline) and its timeline (one row per thing that happened).
 * <p>
 * The timeline rows of one transaction are written together, in one statement, just before it
 * commits ({@link RowsAtCommit}): a consumer batch that confirms twenty orders adds a hundred rows.
 * Until then they are not in the table, not even for the transaction that added them.
 */
@Repository
public class SagaLog {

    /** One entry of an order's timeline. */
    @Schema(description = "One thing that happened in the order's saga")
    public record Entry(
            @Schema(description = "When it happened", requiredMode = Schema.RequiredMode.REQUIRED) Instant at,
            @Schema(description = "The step it belongs to: RESERVE_STOCK and RESERVE_CREDIT run side by side; ORDER is the saga's"
                    + " own (the decision, a cancellation)",
                    allowableValues = { "RESERVE_STOCK", "RESERVE_CREDIT", "ORDER" }, requiredMode = Schema.RequiredMode.REQUIRED)
            String step,
            @Schema(description = "What happened, in words: a message sent or received, a retry, or the decision",
                    example = "received StockReserved", requiredMode = Schema.RequiredMode.REQUIRED) String event) {
    }

    /**
     * @param running false once the order is decided
     * @param awaiting the steps whose replies the saga still waits for
     * @param since when the steps' commands were (last) sent
     */
    record State(boolean running, List<String> awaiting, int attempts, Instant since) {
    }

    /** A timeline row not written yet. */
    private record Row(UUID orderId, Instant at, String step, String event) {
    }

    private final JdbcClient jdbc;
    private final RowsAtCommit<Row> rows;

    SagaLog(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.rows = new RowsAtCommit<>("saga timeline", this::insert, transactions);
    }

    void begin(UUID orderId, List<String> awaiting, Instant now, Instant deadline) {
        jdbc.sql("""
                insert into order_sagas (order_id, step, awaiting, attempts, deadline, updated_at)
                values (:id, 'RUNNING', cast(:awaiting as varchar[]), 1, :deadline, :now)
                """)
            .param("id", orderId).param("awaiting", awaiting.toArray(String[]::new)).param("deadline", Timestamp.from(deadline))
            .param("now", Timestamp.from(now))
            .update();
    }

    /** The saga's state, row-locked so a reply and a timeout for the same order cannot both act. */
    Optional<State> lock(UUID orderId) {
        return jdbc.sql("select step, awaiting, attempts, updated_at from order_sagas where order_id = :id for update")
            .param("id", orderId)
            .query((row, n) -> new State(!"DONE".equals(row.getString("step")),
                    List.of((String[]) row.getArray("awaiting").getArray()), row.getInt("attempts"),
                    row.getTimestamp("updated_at").toInstant()))
            .optional();
    }

    /** A step's reply came: the saga awaits only these now. Its attempts, deadline and start stay. */
    void awaitOnly(UUID orderId, List<String> awaiting) {
        jdbc.sql("update order_sagas set awaiting = cast(:awaiting as varchar[]) where order_id = :id")
            .param("awaiting", awaiting.toArray(String[]::new)).param("id", orderId)
            .update();
    }

    /** The awaited steps' commands were sent again. */
    void retried(UUID orderId, int attempts, Instant now, Instant deadline) {
        jdbc.sql("update order_sagas set attempts = :attempts, deadline = :deadline, updated_at = :now where order_id = :id")
            .param("attempts", attempts).param("deadline", Timestamp.from(deadline)).param("now", Timestamp.from(now)).param("id", orderId)
            .update();
    }

    void finish(UUID orderId, Instant now) {
        jdbc.sql("update order_sagas set step = 'DONE', awaiting = '{}', deadline = null, updated_at = :now where order_id = :id")
            .param("now", Timestamp.from(now)).param("id", orderId)
            .update();
    }

    List<UUID> overdue(Instant now, int limit) {
        return jdbc.sql("""
                select order_id from order_sagas where step <> 'DONE' and deadline < :now order by deadline limit :limit
                for update skip locked
                """)
            .param("now", Timestamp.from(now)).param("limit", limit)
            .query((row, n) -> row.getObject("order_id", UUID.class))
            .list();
    }

    /** Adds a line to the order's timeline: when the transaction commits, or now if there is none. */
    void record(UUID orderId, String step, String event, Instant now) {
        rows.add(new Row(orderId, now, step, event.length() > 500 ? event.substring(0, 500) : event));
    }

    public List<Entry> timeline(UUID orderId) {
        return jdbc.sql("select at, step, event from saga_timeline where order_id = :id order by id")
            .param("id", orderId)
            .query((row, n) -> new Entry(row.getTimestamp("at").toInstant(), row.getString("step"), row.getString("event")))
            .list();
    }

    /** Any number of rows in one insert. */
    private void insert(List<Row> rows) {
        List<Object> values = new ArrayList<>(rows.size() * 4);
        for (Row row : rows) {
            values.addAll(List.of(row.orderId(), Timestamp.from(row.at()), row.step(), row.event()));
        }
        jdbc.sql("insert into saga_timeline (order_id, at, step, event) values " + String.join(", ", Collections.nCopies(rows.size(), "(?, ?, ?, ?)")))
            .params(values)
            .update();
    }
}
