package dev.emporium.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
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
 * <p>The rows of one transaction are inserted together, in one statement, just before it commits
 * ({@link RowsAtCommit}): a consumer batch that decides many orders writes all their messages at once.
 *
 * <p>The trace context of the calling transaction (W3C {@code traceparent}, when tracing is on) is
 * written with the message, so the relay continues this trace instead of starting a new one: an
 * {@code outbox write} span marks the moment, and the Kafka records it becomes are its descendants.
 */
public class Outbox {

    /** The most rows of one insert: 8 parameters each, PostgreSQL takes at most 65,535 per statement. */
    static final int ROWS_PER_INSERT = 1000;

    /** A message not written yet. */
    private record Row(String topic, String key, String correlationId, Envelope envelope, Map<String, String> headers) {
    }

    private final JdbcClient jdbc;
    private final RowsAtCommit<Row> rows;
    private final ObservationRegistry observations;
    private final MessagingProperties.Correlation correlation;
    private final Clock clock;

    Outbox(JdbcClient jdbc, PlatformTransactionManager transactions, ObservationRegistry observations,
            MessagingProperties.Correlation correlation, RelaySignal relay, Clock clock) {
        this.jdbc = jdbc;
        this.rows = new RowsAtCommit<>("outbox", this::insert, relay::wakeUp, transactions);
        this.observations = observations;
        this.correlation = correlation;
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
        write.observe(() -> rows.add(new Row(topic, key, correlationId, envelope, headers)));
        return envelope;
    }

    /** Any number of rows, in as few inserts as PostgreSQL's parameter limit allows; in the order they were published. */
    private void insert(List<Row> all) {
        for (int from = 0; from < all.size(); from += ROWS_PER_INSERT) {
            List<Row> some = all.subList(from, Math.min(all.size(), from + ROWS_PER_INSERT));
            List<Object> values = new ArrayList<>(some.size() * 8);
            for (Row row : some) {
                values.addAll(java.util.Arrays.asList(row.envelope().messageId(), row.topic(), row.key(), row.envelope().type(),
                        row.correlationId(), java.sql.Timestamp.from(row.envelope().occurredAt()), MessageJson.write(row.envelope()),
                        MessageJson.write(row.headers())));
            }
            jdbc.sql("insert into outbox (message_id, topic, message_key, type, correlation_id, occurred_at, envelope, headers) values "
                    + String.join(", ", Collections.nCopies(some.size(), "(?, ?, ?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb))")))
                .params(values)
                .update();
        }
    }
}
