package dev.emporium.messaging;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies each message once. The message id is inserted into the {@code inbox} table in the same
 * transaction as the message's effect: a redelivery, a replay, or a duplicate from the outbox relay
 * finds the id already there and changes nothing. If the effect fails, the transaction rolls back and
 * the id with it, so the retry (or a replay from the dead-letter topic) still applies it.
 *
 * <p>While the effect runs, the correlation id (the order id) is in the logging context and on the
 * current span (the Kafka consumer span, when tracing is on), with the message's type and id.
 *
 * <pre>{@code
 * @KafkaListener(topics = "inventory-commands")
 * void on(Envelope message) {
 *     switch (message.type()) {
 *         case "ReserveStock" -> inbox.receive(message, ReserveStock.class, stock::reserve);
 *         ...
 *     }
 * }
 * }</pre>
 */
public class Inbox {

    private static final Logger log = LoggerFactory.getLogger(Inbox.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Counter duplicates;
    private final ObservationRegistry observations;
    private final MessagingProperties.Correlation correlation;

    Inbox(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, MeterRegistry meters, ObservationRegistry observations,
            MessagingProperties.Correlation correlation) {
        this.jdbc = jdbc;
        this.observations = observations;
        this.correlation = correlation;
        this.transactions = transactions;
        this.clock = clock;
        this.duplicates = Counter.builder("emporium.inbox.duplicates")
            .description("Messages received again after they had been applied, and skipped")
            .register(meters);
    }

    /**
     * Runs {@code effect} with the payload, unless this message id was applied before.
     *
     * @return whether the effect ran
     */
    public <T> boolean receive(Envelope message, Class<T> payloadType, Consumer<T> effect) {
        label(message);
        if (message.correlationId() == null) {
            return apply(message, payloadType, effect);
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable(correlation.logKey(), message.correlationId())) {
            return apply(message, payloadType, effect);
        }
    }

    private void label(Envelope message) {
        Observation current = observations.getCurrentObservation();
        if (current != null) {
            // span attributes only: a listener timer with extra tags on some records would be refused by Prometheus
            current.highCardinalityKeyValue("messaging.message.type", message.type());
            current.highCardinalityKeyValue("messaging.message.id", message.messageId().toString());
            if (message.correlationId() != null) {
                current.highCardinalityKeyValue(correlation.spanAttribute(), message.correlationId());
            }
        }
    }

    private <T> boolean apply(Envelope message, Class<T> payloadType, Consumer<T> effect) {
        T payload = message.payload(payloadType);
        Boolean applied = transactions.execute(status -> {
            int recorded = jdbc.sql("""
                    insert into inbox (message_id, type, correlation_id, received_at) values (:id, :type, :correlationId, :at)
                    on conflict (message_id) do nothing
                    """)
                .param("id", message.messageId())
                .param("type", message.type())
                .param("correlationId", message.correlationId())
                .param("at", Timestamp.from(Instant.now(clock)))
                .update();
            if (recorded == 0) {
                return false;
            }
            effect.accept(payload);
            return true;
        });
        if (!Boolean.TRUE.equals(applied)) {
            duplicates.increment();
            log.debug("Skipped {} {} (correlation {}): it was applied before", message.type(), message.messageId(),
                    message.correlationId());
            return false;
        }
        return true;
    }
}
