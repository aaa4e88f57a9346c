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
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where each saga stands (one row per order) and its timeline (one row per thing that happened).
 * <p>
 * The timeline rows of one transaction are written together, in one statement, just before it
 * commits: a reply that confirms an order adds five (what came in, the three messages sent, the
 * verdict), and five inserts were five round trips to PostgreSQL for one order. Until then they are
 * not in the table, not even for the transaction that added them.
 */
@Repository
public class SagaLog {

    /** The steps of the place-order saga. */
    public enum Step {
        RESERVING_STOCK, RESERVING_CREDIT, DONE
    }

    /** One entry of an order's timeline. */
    @Schema(description = "One thing that happened in the order's saga")
    public record Entry(
            @Schema(description = "When it happened", requiredMode = Schema.RequiredMode.REQUIRED) Instant at,
            @Schema(description = "The saga's step at the time: reserving stock, reserving credit, or done (the order decided)",
                    allowableValues = { "RESERVING_STOCK", "RESERVING_CREDIT", "DONE" }, requiredMode = Schema.RequiredMode.REQUIRED)
            String step,
            @Schema(description = "What happened, in words: a message sent or received, a retry, or the decision",
                    example = "received StockReserved", requiredMode = Schema.RequiredMode.REQUIRED) String event) {
    }

    /** @param since when the saga entered this step (or was last sent again) */
    record State(Step step, int attempts, Instant since) {
    }

    /** A timeline row not written yet. */
    private record Row(UUID orderId, Instant at, Step step, String event) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate ofItsOwn;

    SagaLog(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ofItsOwn = new TransactionTemplate(transactions);
        this.ofItsOwn.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
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

    /** Adds a line to the order's timeline: when the transaction commits, or now if there is none. */
    void record(UUID orderId, Step step, String event, Instant now) {
        Row row = new Row(orderId, now, step, event.length() > 500 ? event.substring(0, 500) : event);
        Rows ofThisTransaction = rowsOfThisTransaction();
        if (ofThisTransaction == null) {
            insert(List.of(row));
        }
        else {
            ofThisTransaction.add(row);
        }
    }

    public List<Entry> timeline(UUID orderId) {
        return jdbc.sql("select at, step, event from saga_timeline where order_id = :id order by id")
            .param("id", orderId)
            .query((row, n) -> new Entry(row.getTimestamp("at").toInstant(), row.getString("step"), row.getString("event")))
            .list();
    }

    private Rows rowsOfThisTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive() || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        // the synchronizations of the current transaction only: an outer one's are suspended meanwhile
        for (TransactionSynchronization each : TransactionSynchronizationManager.getSynchronizations()) {
            if (each instanceof Rows rows && rows.log() == this) {
                return rows;
            }
        }
        Rows rows = new Rows();
        TransactionSynchronizationManager.registerSynchronization(rows);
        return rows;
    }

    /** Any number of rows in one insert. */
    private void insert(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<Object> values = new ArrayList<>(rows.size() * 4);
        for (Row row : rows) {
            values.addAll(List.of(row.orderId(), Timestamp.from(row.at()), row.step().name(), row.event()));
        }
        jdbc.sql("insert into saga_timeline (order_id, at, step, event) values " + String.join(", ", Collections.nCopies(rows.size(), "(?, ?, ?, ?)")))
            .params(values)
            .update();
    }

    /** The timeline rows one transaction added, written just before it commits. */
    private final class Rows implements TransactionSynchronization {

        private final List<Row> rows = new ArrayList<>();
        private boolean written;

        void add(Row row) {
            if (written) {
                // added while the transaction commits, after the others were written: still inside it
                insert(List.of(row));
            }
            else {
                rows.add(row);
            }
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            written = true;
            insert(rows);
        }

        /**
         * Rows added by something that itself ran while the transaction committed (a BEFORE_COMMIT
         * listener), when this transaction had no rows before: Spring had already chosen whom to ask
         * before the commit, so they were not written with it. They are written now, in a transaction
         * of their own, rather than lost.
         */
        @Override
        public void afterCompletion(int status) {
            if (status == STATUS_COMMITTED && !written && !rows.isEmpty()) {
                ofItsOwn.executeWithoutResult(transaction -> insert(rows));
            }
        }

        SagaLog log() {
            return SagaLog.this;
        }
    }
}
