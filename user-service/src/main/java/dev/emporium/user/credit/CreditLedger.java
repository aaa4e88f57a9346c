package dev.emporium.user.credit;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SQL of credit keeping: conditional updates that refuse to let reserved + used exceed the limit
 * (the table's check constraint says the same), and the reservation held for each order.
 */
@Repository
class CreditLedger {

    enum Status {
        RESERVED, COMMITTED, RELEASED
    }

    record Reservation(UUID orderId, UUID accountId, BigDecimal amount, String currency, Status status) {
    }

    private final JdbcClient jdbc;

    CreditLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the credit accounts of these customers and of these orders' reservations, in account
     * order, until the transaction ends: whoever changes several accounts in one transaction takes
     * them this way first, so that no two transactions wait for each other in a cycle.
     */
    void lock(Collection<UUID> accountIds, Collection<UUID> orderIds) {
        jdbc.sql("""
                select account_id from credit_accounts
                where account_id = any(:accounts)
                   or account_id in (select account_id from credit_reservations where order_id = any(:orders))
                order by account_id
                for update
                """)
            .param("accounts", accountIds.toArray(UUID[]::new)).param("orders", orderIds.toArray(UUID[]::new))
            .query((row, n) -> row.getObject("account_id", UUID.class))
            .list();
    }

    /** Holds {@code amount} if that much is available. */
    boolean reserve(UUID accountId, BigDecimal amount) {
        return jdbc.sql("""
                update credit_accounts set reserved = reserved + :amount, version = version + 1
                where account_id = :id and credit_limit - reserved - used >= :amount
                """).param("amount", amount).param("id", accountId).update() == 1;
    }

    /** reserved -> used. */
    void use(UUID accountId, BigDecimal amount) {
        requireOne(jdbc.sql("""
                update credit_accounts set reserved = reserved - :amount, used = used + :amount, version = version + 1
                where account_id = :id and reserved >= :amount
                """).param("amount", amount).param("id", accountId).update(), accountId);
    }

    /** reserved -> available. */
    void unreserve(UUID accountId, BigDecimal amount) {
        requireOne(jdbc.sql("""
                update credit_accounts set reserved = reserved - :amount, version = version + 1
                where account_id = :id and reserved >= :amount
                """).param("amount", amount).param("id", accountId).update(), accountId);
    }

    /** used -> available: the refund of a cancelled order. */
    void refund(UUID accountId, BigDecimal amount) {
        requireOne(jdbc.sql("""
                update credit_accounts set used = used - :amount, version = version + 1 where account_id = :id and used >= :amount
                """).param("amount", amount).param("id", accountId).update(), accountId);
    }

    /** A new limit, only if it still covers what is reserved and used. */
    boolean changeLimit(UUID accountId, BigDecimal limit) {
        return jdbc.sql("""
                update credit_accounts set credit_limit = :limit, version = version + 1
                where account_id = :id and reserved + used <= :limit
                """).param("limit", limit).param("id", accountId).update() == 1;
    }

    Optional<Reservation> lockReservation(UUID orderId) {
        return jdbc.sql("select order_id, account_id, amount, currency, status from credit_reservations where order_id = :id for update")
            .param("id", orderId)
            .query((row, n) -> new Reservation(row.getObject("order_id", UUID.class), row.getObject("account_id", UUID.class),
                    row.getBigDecimal("amount"), row.getString("currency").trim(), Status.valueOf(row.getString("status"))))
            .optional();
    }

    void insertReservation(UUID orderId, UUID accountId, BigDecimal amount, String currency, Status status, String reason, Instant now) {
        jdbc.sql("""
                insert into credit_reservations (order_id, account_id, amount, currency, status, reason, created_at, updated_at)
                values (:order, :account, :amount, :currency, :status, :reason, :now, :now)
                """)
            .param("order", orderId).param("account", accountId).param("amount", amount).param("currency", currency)
            .param("status", status.name()).param("reason", reason).param("now", Timestamp.from(now))
            .update();
    }

    void moveTo(UUID orderId, Status status, String reason, Instant now) {
        jdbc.sql("update credit_reservations set status = :status, reason = :reason, updated_at = :now where order_id = :id")
            .param("status", status.name()).param("reason", reason).param("now", Timestamp.from(now)).param("id", orderId)
            .update();
    }

    private static void requireOne(int updated, UUID accountId) {
        if (updated != 1) {
            throw new IllegalStateException("Credit account " + accountId + " does not cover a reservation it holds");
        }
    }
}
