package dev.emporium.order.saga;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Where each saga stands (one row per order) and its timeline (one row per thing that happened). */
@Repository
public class SagaLog {

    /** The steps of the place-order saga. */
    public enum Step {
        RESERVING_STOCK, RESERVING_CREDIT, DONE
    }

    /** One entry of an order's timeline. */
    public record Entry(Instant at, String step, String event) {
    }

    /** @param since when the saga entered this step (or was last sent again) */
    record State(Step step, int attempts, Instant since) {
    }

    private final JdbcClient jdbc;

    SagaLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void begin(UUID orderId, Step step, Instant now, Instant deadline) {
        jdbc.sql("insert into order_sagas (order_id, step, attempts, deadline, updated_at) values (:id, :step, 1, :deadline, :now)")
            .param("id", orderId).param("step", step.name()).param("deadline", Timestamp.from(deadline)).param("now", Timestamp.from(now))
            .update();
    }

    /** The saga's state, row-locked so a reply and a timeout for the same order cannot both act. */
    Optional<State> lock(UUID orderId) {
        return jdbc.sql("select step, attempts, updated_at from order_sagas where order_id = :id for update")
            .param("id", orderId)
            .query((row, n) -> new State(Step.valueOf(row.getString("step")), row.getInt("attempts"),
                    row.getTimestamp("updated_at").toInstant()))
            .optional();
    }

    void moveTo(UUID orderId, Step step, int attempts, Instant now, Instant deadline) {
        jdbc.sql("update order_sagas set step = :step, attempts = :attempts, deadline = :deadline, updated_at = :now where order_id = :id")
            .param("step", step.name()).param("attempts", attempts)
            .param("deadline", deadline == null ? null : Timestamp.from(deadline)).param("now", Timestamp.from(now)).param("id", orderId)
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

    void record(UUID orderId, Step step, String event, Instant now) {
        jdbc.sql("insert into saga_timeline (order_id, at, step, event) values (:id, :at, :step, :event)")
            .param("id", orderId).param("at", Timestamp.from(now)).param("step", step.name())
            .param("event", event.length() > 500 ? event.substring(0, 500) : event)
            .update();
    }

    public List<Entry> timeline(UUID orderId) {
        return jdbc.sql("select at, step, event from saga_timeline where order_id = :id order by id")
            .param("id", orderId)
            .query((row, n) -> new Entry(row.getTimestamp("at").toInstant(), row.getString("step"), row.getString("event")))
            .list();
    }
}
