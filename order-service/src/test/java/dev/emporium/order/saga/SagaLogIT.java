package dev.emporium.order.saga;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.emporium.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/** The timeline rows of one transaction go to PostgreSQL together, when it commits, and none is lost. */
@SpringBootTest
@ActiveProfiles("test")
@RealInfrastructure(database = "orders")
class SagaLogIT {

    @Autowired
    SagaLog log;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionOperations transactions;

    final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    @Test
    void writesTheRowsOfATransactionInOneStatementWhenItCommits() {
        UUID order = anOrder();

        long beforeTheCommit = transactions.execute(transaction -> {
            log.record(order, "RESERVE_CREDIT", "received CreditReserved", now);
            log.record(order, "ORDER", "sent CommitStock", now);
            log.record(order, "ORDER", "order CONFIRMED", now);
            return rowsOf(order);
        });

        assertThat(beforeTheCommit).as("rows in the table before the commit, seen from the transaction itself").isZero();
        assertThat(log.timeline(order)).extracting(SagaLog.Entry::event)
            .containsExactly("received CreditReserved", "sent CommitStock", "order CONFIRMED");
        // each statement of a transaction has a command id of its own, stamped on the rows it inserts
        assertThat(jdbc.sql("select count(distinct cmin::text) from saga_timeline where order_id = :id").param("id", order)
            .query(Long.class).single()).as("insert statements that wrote the three rows").isEqualTo(1);
    }

    @Test
    void aTransactionThatRollsBackLeavesNoRows() {
        UUID order = anOrder();

        transactions.executeWithoutResult(transaction -> {
            log.record(order, "RESERVE_STOCK", "sent ReserveStock", now);
            transaction.setRollbackOnly();
        });

        assertThat(rowsOf(order)).isZero();
    }

    /**
     * Something that runs while the transaction commits (a BEFORE_COMMIT listener) adds the first row
     * of the transaction. Spring has already chosen whom to call before the commit, so the row is not
     * written with it; it is written right after instead.
     */
    @Test
    void aRowAddedWhileTheTransactionCommitsIsNotLost() {
        UUID order = anOrder();

        transactions.executeWithoutResult(transaction -> TransactionSynchronizationManager.registerSynchronization(
                new TransactionSynchronization() {
                    @Override
                    public void beforeCommit(boolean readOnly) {
                        log.record(order, "ORDER", "added while committing", now);
                    }
                }));

        assertThat(log.timeline(order)).extracting(SagaLog.Entry::event).containsExactly("added while committing");
    }

    @Test
    void withoutATransactionARowIsWrittenAtOnce() {
        UUID order = anOrder();

        log.record(order, "ORDER", "written at once", now);

        assertThat(rowsOf(order)).isEqualTo(1);
    }

    private UUID anOrder() {
        UUID order = UUID.randomUUID();
        jdbc.sql("""
                insert into orders (id, customer_id, status, total_amount, total_currency, placed_at, version)
                values (:id, :customer, 'PENDING', 1.00, 'EUR', now(), 0)""")
            .param("id", order).param("customer", UUID.randomUUID()).update();
        return order;
    }

    private long rowsOf(UUID order) {
        return jdbc.sql("select count(*) from saga_timeline where order_id = :id").param("id", order).query(Long.class).single();
    }
}
