package dev.emporium.chaos;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.emporium.launcher.Platform;

/**
 * The consistency auditor: after the faults, reads the three services' databases (and their admin
 * endpoints and metrics) and checks that nothing was lost, invented or applied twice.
 */
final class ChaosAudit {

    /** One line of the audit table. */
    record Check(String invariant, String expected, String actual, boolean holds) {
    }

    private final Platform platform;
    /** Orders a failed check names, for the report to show their sagas. */
    final List<String> suspects = new java.util.concurrent.CopyOnWriteArrayList<>();

    ChaosAudit(Platform platform) {
        this.platform = platform;
    }

    /** Orders not yet CONFIRMED, REJECTED or CANCELLED. */
    long pendingOrders() {
        return number("orders", "select count(*) from orders where status = 'PENDING'");
    }

    /**
     * Orders the saga rejected because a participant did not answer within its attempts (order-service's
     * {@code SagaOrchestrator.timeOut} writes "... did not answer in time"). With a twin of every
     * participant up, its consumers take a dead instance's partitions over well within the attempts.
     */
    List<String> rejectedForSilence() {
        return query("orders", "select id::text from orders where status = 'REJECTED' and reason like '%did not answer in time%'",
                row -> row.getString(1));
    }

    /** Messages written but not yet acknowledged by Kafka, over the three outboxes. */
    long undelivered() {
        return number("orders", "select count(*) from outbox where sent_at is null")
                + number("inventory", "select count(*) from outbox where sent_at is null")
                + number("users", "select count(*) from outbox where sent_at is null");
    }

    /** The invariants on the books; {@code knownOrders} are the ids the shoppers were given. */
    List<Check> books(Set<String> knownOrders) {
        List<Check> checks = new ArrayList<>();
        long orders = number("orders", "select count(*) from orders");
        long pending = pendingOrders();
        checks.add(new Check("every order is terminal (CONFIRMED, REJECTED, CANCELLED)", "0 pending", pending + " pending of " + orders,
                pending == 0));

        Set<String> inDatabase = new HashSet<>(query("orders", "select id::text from orders", row -> row.getString(1)));
        Set<String> unknown = new HashSet<>(inDatabase);
        unknown.removeAll(knownOrders);
        Set<String> lost = new HashSet<>(knownOrders);
        lost.removeAll(inDatabase);
        checks.add(new Check("every order a shopper was given exists; none exists that no shopper was given", "0 lost, 0 unknown",
                lost.size() + " lost, " + unknown.size() + " unknown", lost.isEmpty() && unknown.isEmpty()));
        long keysNotOne = number("orders", """
                select count(*) from orders o
                where (select count(*) from idempotency_keys k where k.order_id = o.id) <> 1""");
        checks.add(new Check("one order per Idempotency-Key, one key per order", "0 violations", keysNotOne + " violations", keysNotOne == 0));

        // Stock: per product, from inventory's books and order-service's confirmed orders.
        Map<String, Long> confirmedUnits = new HashMap<>();
        query("orders", """
                select l.product_id::text, sum(l.quantity) from order_lines l join orders o on o.id = l.order_id
                where o.status = 'CONFIRMED' group by l.product_id""",
                row -> confirmedUnits.put(row.getString(1), row.getLong(2)));
        List<String> negative = new ArrayList<>();
        List<String> unbalanced = new ArrayList<>();
        List<String> soldMismatch = new ArrayList<>();
        long[] reservedUnits = { 0 };
        query("inventory", """
                select s.product_id::text, s.available, s.reserved, s.sold,
                       (select coalesce(sum(a.delta), 0) from stock_adjustments a where a.product_id = s.product_id)
                from stock s""", row -> {
            String product = row.getString(1);
            long available = row.getLong(2), reserved = row.getLong(3), sold = row.getLong(4), adjusted = row.getLong(5);
            reservedUnits[0] += reserved;
            if (available < 0 || reserved < 0 || sold < 0) {
                negative.add(product);
            }
            if (available + reserved + sold != adjusted) {
                unbalanced.add(product + ": " + available + "+" + reserved + "+" + sold + " != " + adjusted);
            }
            long expectedSold = confirmedUnits.getOrDefault(product, 0L);
            if (sold != expectedSold) {
                soldMismatch.add(product + ": sold " + sold + ", confirmed " + expectedSold);
            }
            return null;
        });
        long products = number("inventory", "select count(*) from stock");
        checks.add(new Check("no product has negative stock", "0 of " + products, negative.size() + " " + sample(negative), negative.isEmpty()));
        checks.add(new Check("available + reserved + sold = initial + adjustments, per product", "0 of " + products,
                unbalanced.size() + " " + sample(unbalanced), unbalanced.isEmpty()));
        checks.add(new Check("sold = units of CONFIRMED orders, per product", "0 of " + products,
                soldMismatch.size() + " " + sample(soldMismatch), soldMismatch.isEmpty()));

        // Credit: per customer, from user-service's books and order-service's confirmed orders.
        Map<String, BigDecimal> confirmedTotals = new HashMap<>();
        query("orders", "select customer_id::text, sum(total_amount) from orders where status = 'CONFIRMED' group by customer_id",
                row -> confirmedTotals.put(row.getString(1), row.getBigDecimal(2)));
        List<String> creditMismatch = new ArrayList<>();
        BigDecimal[] reservedCredit = { BigDecimal.ZERO };
        query("users", "select account_id::text, used, reserved from credit_accounts", row -> {
            BigDecimal used = row.getBigDecimal(2);
            reservedCredit[0] = reservedCredit[0].add(row.getBigDecimal(3));
            BigDecimal expected = confirmedTotals.getOrDefault(row.getString(1), BigDecimal.ZERO);
            if (used.compareTo(expected) != 0) {
                creditMismatch.add(row.getString(1) + ": used " + used + ", confirmed " + expected);
            }
            return null;
        });
        long customers = number("users", "select count(*) from credit_accounts");
        checks.add(new Check("credit used = totals of CONFIRMED orders, per customer", "0 of " + customers,
                creditMismatch.size() + " " + sample(creditMismatch), creditMismatch.isEmpty()));

        Map<String, String> terminal = new HashMap<>();
        query("orders", "select id::text, status from orders where status <> 'PENDING'", row -> terminal.put(row.getString(1), row.getString(2)));
        List<String> held = new ArrayList<>();
        query("inventory", "select order_id::text from reservations where status = 'RESERVED'", row -> row.getString(1)).stream()
            .filter(terminal::containsKey).forEach(order -> held.add("stock for " + terminal.get(order) + " order " + order));
        query("users", "select order_id::text from credit_reservations where status = 'RESERVED'", row -> row.getString(1)).stream()
            .filter(terminal::containsKey).forEach(order -> held.add("credit for " + terminal.get(order) + " order " + order));
        suspects.clear();
        held.stream().map(line -> line.substring(line.lastIndexOf(' ') + 1)).limit(2).forEach(suspects::add);
        checks.add(new Check("nothing reserved for a terminal order (stock, credit)", "0 units, 0.00 EUR, 0 reservations",
                reservedUnits[0] + " units, " + reservedCredit[0] + " EUR, " + held.size() + " reservations " + sample(held),
                held.isEmpty() && reservedUnits[0] == 0 && reservedCredit[0].signum() == 0));

        long undelivered = undelivered();
        checks.add(new Check("every outbox is drained", "0 messages", undelivered + " messages", undelivered == 0));
        return checks;
    }

    /** What the saga of one order did, step by step (for a report that names a broken order). */
    List<String> timeline(String orderId) {
        return query("orders", "select to_char(at, 'HH24:MI:SS.MS') || ' ' || step || ': ' || event from saga_timeline where order_id = '"
                + java.util.UUID.fromString(orderId) + "' order by id", row -> row.getString(1));
    }

    /** Inventory's record of one order's reservation. */
    List<String> reservation(String orderId) {
        return query("inventory", "select status || ' ' || coalesce(reason, '') || ' created ' || to_char(created_at, 'HH24:MI:SS.MS')"
                + " || ' updated ' || to_char(updated_at, 'HH24:MI:SS.MS') from reservations where order_id = '"
                + java.util.UUID.fromString(orderId) + "'", row -> row.getString(1));
    }

    private static String sample(List<String> items) {
        return items.isEmpty() ? "" : "(" + String.join("; ", items.subList(0, Math.min(3, items.size()))) + ")";
    }

    long number(String database, String sql) {
        return query(database, sql, row -> row.getLong(1)).getFirst();
    }

    private <T> List<T> query(String database, String sql, Row<T> mapper) {
        try (Connection connection = DriverManager.getConnection(platform.jdbcUrl(database), platform.database(database).role(),
                platform.database(database).password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
            return result;
        }
        catch (SQLException e) {
            throw new IllegalStateException("The audit could not read the " + database + " database: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Row<T> {
        T map(ResultSet row) throws SQLException;
    }
}
