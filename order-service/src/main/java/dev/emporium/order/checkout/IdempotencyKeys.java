package dev.emporium.order.checkout;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * One order per customer and {@code Idempotency-Key}. Claiming a key is an insert that waits for any
 * transaction holding the same key, so concurrent retries all end up with the first one's order.
 */
@Repository
class IdempotencyKeys {

    record Claim(UUID orderId, String requestHash) {
    }

    private final JdbcClient jdbc;

    IdempotencyKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return true if this call claimed the key for {@code orderId}; false if it was already taken */
    boolean claim(UUID customerId, String key, String requestHash, UUID orderId, Instant now) {
        return jdbc.sql("""
                insert into idempotency_keys (customer_id, idempotency_key, request_hash, order_id, created_at)
                values (:customer, :key, :hash, :order, :now) on conflict do nothing
                """)
            .param("customer", customerId).param("key", key).param("hash", requestHash).param("order", orderId)
            .param("now", Timestamp.from(now))
            .update() == 1;
    }

    Optional<Claim> find(UUID customerId, String key) {
        return jdbc.sql("select order_id, request_hash from idempotency_keys where customer_id = :customer and idempotency_key = :key")
            .param("customer", customerId).param("key", key)
            .query((row, n) -> new Claim(row.getObject("order_id", UUID.class), row.getString("request_hash")))
            .optional();
    }
}
