package dev.emporium.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records a message in the same database transaction as the state change that causes it. Nothing is
 * sent here: the {@link OutboxRelay} publishes the message once (and only if) that transaction has
 * committed, so a rolled-back change announces nothing and a committed one is never lost.
 *
 * <pre>{@code
 * @Transactional
 * public void reserve(...) {
 *     reservations.save(reservation);
 *     outbox.publish("order-saga-replies", orderId, orderId, new StockReserved(...));
 * }
 * }</pre>
 */
public class Outbox {

    private final JdbcClient jdbc;
    private final List<OutgoingHeaders> headers;
    private final RelaySignal relay;
    private final Clock clock;

    Outbox(JdbcClient jdbc, List<OutgoingHeaders> headers, RelaySignal relay, Clock clock) {
        this.jdbc = jdbc;
        this.headers = headers;
        this.relay = relay;
        this.clock = clock;
    }

    /**
     * Adds {@code payload} to the outbox of the current transaction.
     *
     * @param topic where it goes
     * @param key the aggregate id: messages with one key reach Kafka in commit order
     * @param correlationId the business flow it belongs to (the order id for saga traffic)
     * @param payload a record; its simple class name becomes the message type
     * @return the envelope as it will be published
     * @throws IllegalStateException outside a transaction, where the write could not be atomic
     */
    public Envelope publish(String topic, String key, String correlationId, Object payload) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Outbox.publish(" + payload.getClass().getSimpleName() + ") must run inside the"
                    + " transaction of the change it announces; make the calling use case @Transactional");
        }
        Envelope envelope = new Envelope(UUID.randomUUID(), payload.getClass().getSimpleName(), Instant.now(clock),
                correlationId, MessageJson.tree(payload));
        Map<String, String> captured = new HashMap<>();
        headers.forEach(contributor -> captured.putAll(contributor.current()));
        jdbc.sql("""
                insert into outbox (message_id, topic, message_key, type, correlation_id, occurred_at, envelope, headers)
                values (:messageId, :topic, :key, :type, :correlationId, :occurredAt, cast(:envelope as jsonb), cast(:headers as jsonb))
                """)
            .param("messageId", envelope.messageId())
            .param("topic", topic)
            .param("key", key)
            .param("type", envelope.type())
            .param("correlationId", correlationId)
            .param("occurredAt", java.sql.Timestamp.from(envelope.occurredAt()))
            .param("envelope", MessageJson.write(envelope))
            .param("headers", MessageJson.write(captured))
            .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wakeUp();
            }
        });
        return envelope;
    }
}
