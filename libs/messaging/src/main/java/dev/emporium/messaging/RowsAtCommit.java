package dev.emporium.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rows a transaction adds to one table, written together in one statement just before it commits.
 * A consumer batch that confirms twenty orders adds sixty outbox rows: sixty inserts were sixty
 * round trips to PostgreSQL, one is one. Until the commit the rows are not in the table, not even for
 * the transaction that added them.
 * <p>
 * Used by the {@link Outbox} and by order-service's saga timeline.
 *
 * @param <T> one row
 */
public final class RowsAtCommit<T> {

    private static final Logger log = LoggerFactory.getLogger(RowsAtCommit.class);

    private final String table;
    private final Consumer<List<T>> insert;
    private final Runnable afterCommit;
    private final TransactionTemplate ofItsOwn;

    /**
     * @param table what the rows are, for the log
     * @param insert writes any number of rows in one statement
     */
    public RowsAtCommit(String table, Consumer<List<T>> insert, PlatformTransactionManager transactions) {
        this(table, insert, () -> {
        }, transactions);
    }

    /** @param afterCommit runs once after a transaction that added rows has committed them */
    public RowsAtCommit(String table, Consumer<List<T>> insert, Runnable afterCommit, PlatformTransactionManager transactions) {
        this.table = table;
        this.insert = insert;
        this.afterCommit = afterCommit;
        this.ofItsOwn = new TransactionTemplate(transactions);
        this.ofItsOwn.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Adds a row: written when the current transaction commits, or now if there is no transaction. */
    public void add(T row) {
        Pending ofThisTransaction = pendingOfThisTransaction();
        if (ofThisTransaction == null) {
            insert.accept(List.of(row));
            afterCommit.run();
        }
        else {
            ofThisTransaction.add(row);
        }
    }

    private Pending pendingOfThisTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive() || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        // the synchronizations of the current transaction only: an outer one's are suspended meanwhile
        for (TransactionSynchronization each : TransactionSynchronizationManager.getSynchronizations()) {
            if (each instanceof RowsAtCommit<?>.Pending pending && pending.owner() == this) {
                @SuppressWarnings("unchecked") // its owner is this
                Pending ours = (Pending) pending;
                return ours;
            }
        }
        Pending pending = new Pending();
        TransactionSynchronizationManager.registerSynchronization(pending);
        return pending;
    }

    /** The rows one transaction added. */
    private final class Pending implements TransactionSynchronization {

        private final List<T> rows = new ArrayList<>();
        private boolean written;

        void add(T row) {
            if (written) {
                // added while the transaction commits, after the others were written: still inside it
                insert.accept(List.of(row));
            }
            else {
                rows.add(row);
            }
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            written = true;
            if (!rows.isEmpty()) {
                insert.accept(rows);
            }
        }

        /**
         * Rows added by something that itself ran while the transaction committed (a BEFORE_COMMIT
         * listener), when this transaction had none before: Spring had already chosen whom to ask
         * before the commit, so they were not written with it. They are written now, in a
         * transaction of their own, rather than lost; no caller of the platform does this.
         */
        @Override
        public void afterCompletion(int status) {
            if (status == STATUS_COMMITTED && !written && !rows.isEmpty()) {
                log.warn("{} {} row(s) were added while their transaction committed; writing them in a transaction of their own",
                        rows.size(), table);
                ofItsOwn.executeWithoutResult(transaction -> insert.accept(rows));
            }
            if (status == STATUS_COMMITTED && !rows.isEmpty()) {
                afterCommit.run();
            }
        }

        RowsAtCommit<T> owner() {
            return RowsAtCommit.this;
        }
    }
}
