package dev.emporium.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
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
 *
 * <p>The trace context of the calling transaction (W3C {@code traceparent}, when tracing is on) is
 * written with the message, so the relay continues this trace instead of starting a new one: an
 * {@code outbox write} span marks the moment, and the Kafka records it becomes are its descendants.
 */
public class Outbox {

    private final JdbcClient jdbc;
    private final ObservationRegistry observations;
    private final MessagingProperties.Correlation correlation;
    private final RelaySignal relay;
    private final Clock clock;

    Outbox(JdbcClient jdbc, ObservationRegistry observations, MessagingProperties.Correlation correlation, RelaySignal relay,
            Clock clock) {
        this.jdbc = jdbc;
        this.observations = observations;
        this.correlation = correlation;
        this.relay = relay;
        this.clock = clock;
    }

    /**
     * Adds {@code payload} to the outbox of the current transaction.
     *
     * @param topic where it goes
     * @param key the aggregate id: messages with one key reach Kafka in commit order
     * @param correlationId the business flow it belongs to (the order id for saga traffic), or null
     *        for a fact about the keyed aggregate alone
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
        Map<String, String> headers = new HashMap<>();
        SenderContext<Map<String, String>> trace = new SenderContext<>(Map::put);
        trace.setCarrier(headers);
        trace.setRemoteServiceName(topic);
        Observation write = Observation.createNotStarted("emporium.outbox.write", () -> trace, observations)
            .contextualName("outbox write " + envelope.type())
            .lowCardinalityKeyValue("messaging.destination.name", topic)
            .lowCardinalityKeyValue("messaging.message.type", envelope.type())
            .highCardinalityKeyValue("messaging.message.id", envelope.messageId().toString());
        if (correlationId != null) {
            write.highCardinalityKeyValue(correlation.spanAttribute(), correlationId);
        }
        write.observe(() -> insert(topic, key, correlationId, envelope, headers));
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wakeUp();
            }
        });
        return envelope;
    }

    private void insert(String topic, String key, String correlationId, Envelope envelope, Map<String, String> headers) {
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
            .param("headers", MessageJson.write(headers))
            .update();
    }
}
