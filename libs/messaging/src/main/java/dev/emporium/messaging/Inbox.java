package dev.emporium.messaging;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies each message once, a whole poll at a time. A listener hands over what one poll returned;
 * the inbox applies it in <b>one database transaction</b>: the message ids of the batch go into the
 * {@code inbox} table in one statement, each new message's effect runs, the messages the effects send
 * go into the outbox in one statement ({@link Outbox}), and one commit ends it. Under light load a
 * poll returns one record and nothing waits for more; under heavy load one commit carries many, so
 * what a message costs falls as the load rises.
 * <p>
 * A redelivery, a replay, or a duplicate from the outbox relay finds its id already there and changes
 * nothing. When one record's effect fails, the transaction rolls back and the batch is split: the
 * records before it are applied again in a transaction of their own, and the listener container is
 * told which record failed ({@link BatchListenerFailedException}), so it commits the offsets before
 * it and retries, then dead-letters, that record alone; those after it are delivered again, never
 * applied twice. A failure that belongs to no one record (the commit itself) halves the batch until
 * it does. A database that is away fails the batch's first record, which the error handler waits out.
 * A batch holds every lock its effects took until it commits, so a listener whose effects change rows
 * that other batches change too passes a {@code lockFirst} that locks them in key order first
 * ({@link #receive(List, Consumer, Consumer)}): two batches then never wait for each other in a cycle.
 * <p>
 * While an effect runs, its record's trace continues (a span per record, child of the producer span in
 * its {@code traceparent} header), and the correlation id (the order id) is in the logging context and
 * on that span, with the message's type and id.
 *
 * <pre>{@code
 * @KafkaListener(topics = "inventory-commands", batch = "true")
 * void on(List<ConsumerRecord<String, Envelope>> batch) {
 *     inbox.receive(batch, message -> switch (message.type()) {
 *         case "ReserveStock" -> inventory.reserve(message.payload(ReserveStock.class));
 *         ...
 *     });
 * }
 * }</pre>
 */
public class Inbox {

    private static final Logger log = LoggerFactory.getLogger(Inbox.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Counter duplicates;
    private final DistributionSummary batchSizes;
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
        this.batchSizes = DistributionSummary.builder("emporium.inbox.batch.size")
            .description("Records applied in one database transaction")
            .baseUnit("records")
            .register(meters);
    }

    /**
     * Applies the records of one poll that were not applied before, in one transaction.
     *
     * @param handler applies one message; throws {@link UnreadableMessageException} for a type it
     *        does not know (dead-lettered at once), anything else to have the record retried
     * @throws BatchListenerFailedException naming the record that failed, for the listener container
     */
    public void receive(List<ConsumerRecord<String, Envelope>> batch, Consumer<Envelope> handler) {
        receive(batch, messages -> {
        }, handler);
    }

    /**
     * Applies the records of one poll that were not applied before, in one transaction, after taking
     * the row locks their effects need in one fixed order.
     * <p>
     * Two transactions that lock the same rows in different orders can each wait for the other: a
     * deadlock, which PostgreSQL ends by failing one of them. One message's effect can take its rows
     * in a fixed order (by key); a batch of several cannot, since each effect locks its own rows in
     * turn. So when a transaction is to apply more than one message, {@code lockFirst} runs first in
     * it, with those messages (those applied before left out), and locks every row their effects will
     * change, in key order ({@code select ... order by key for update}); the effects then find their
     * rows locked already. A transaction of one message does not call it.
     *
     * @param lockFirst locks, in key order, the rows the effects of these messages will change
     * @param handler applies one message; throws {@link UnreadableMessageException} for a type it
     *        does not know (dead-lettered at once), anything else to have the record retried
     * @throws BatchListenerFailedException naming the record that failed, for the listener container
     */
    public void receive(List<ConsumerRecord<String, Envelope>> batch, Consumer<List<Envelope>> lockFirst, Consumer<Envelope> handler) {
        applyAll(batch, lockFirst, handler);
    }

    private void applyAll(List<ConsumerRecord<String, Envelope>> records, Consumer<List<Envelope>> lockFirst, Consumer<Envelope> handler) {
        if (records.isEmpty()) {
            return;
        }
        int unreadableAt = firstUnreadable(records);
        if (unreadableAt >= 0) {
            applyAll(records.subList(0, unreadableAt), lockFirst, handler);
            ConsumerRecord<String, Envelope> record = records.get(unreadableAt);
            UnreadableMessageException unreadable = unreadable(record);
            throw new BatchListenerFailedException(unreadable.getMessage(), unreadable, record);
        }
        Failure failure = inOneTransaction(records, lockFirst, handler);
        if (failure == null) {
            return;
        }
        if (failure.index() > 0) {
            applyAll(records.subList(0, failure.index()), lockFirst, handler);
        }
        if (failure.index() >= 0 || records.size() == 1 || MessagingAutoConfiguration.isInfrastructureOutage(failure.cause())) {
            ConsumerRecord<String, Envelope> record = records.get(Math.max(0, failure.index()));
            throw new BatchListenerFailedException("Applying " + record.value().type() + " " + record.value().messageId() + " failed: "
                    + OutboxRelay.rootMessage(failure.cause()), failure.cause(), record);
        }
        int half = records.size() / 2;
        applyAll(records.subList(0, half), lockFirst, handler);
        applyAll(records.subList(half, records.size()), lockFirst, handler);
    }

    /** @param index the record whose effect failed, or -1: the failure came from none of them */
    private record Failure(int index, RuntimeException cause) {
    }

    /** @return null once committed; otherwise what failed, with everything rolled back */
    private Failure inOneTransaction(List<ConsumerRecord<String, Envelope>> records, Consumer<List<Envelope>> lockFirst,
            Consumer<Envelope> handler) {
        int[] applying = { -1 };
        int[] skipped = { 0 };
        try {
            transactions.executeWithoutResult(status -> {
                Set<UUID> fresh = recordIds(records);
                if (fresh.size() > 1) {
                    lockFirst.accept(records.stream().map(ConsumerRecord::value).filter(message -> fresh.contains(message.messageId())).toList());
                }
                for (int i = 0; i < records.size(); i++) {
                    Envelope message = records.get(i).value();
                    if (!fresh.remove(message.messageId())) {
                        skipped[0]++;
                        log.debug("Skipped {} {} (correlation {}): it was applied before", message.type(), message.messageId(),
                                message.correlationId());
                        continue;
                    }
                    applying[0] = i;
                    applyOne(records.get(i), handler);
                    applying[0] = -1;
                }
            });
        }
        catch (RuntimeException e) {
            return new Failure(applying[0], e);
        }
        duplicates.increment(skipped[0]);
        batchSizes.record(records.size());
        return null;
    }

    /** Inserts the batch's message ids, in one statement. @return those not there before */
    private Set<UUID> recordIds(List<ConsumerRecord<String, Envelope>> records) {
        int size = records.size();
        UUID[] ids = new UUID[size];
        String[] types = new String[size];
        String[] correlations = new String[size];
        for (int i = 0; i < size; i++) {
            Envelope message = records.get(i).value();
            ids[i] = message.messageId();
            types[i] = message.type();
            correlations[i] = message.correlationId();
        }
        return new HashSet<>(jdbc.sql("""
                insert into inbox (message_id, type, correlation_id, received_at)
                select id, type, correlation_id, :at
                from unnest(cast(:ids as uuid[]), cast(:types as text[]), cast(:correlations as text[])) as m (id, type, correlation_id)
                on conflict (message_id) do nothing
                returning message_id
                """)
            .param("ids", ids)
            .param("types", types)
            .param("correlations", correlations)
            .param("at", Timestamp.from(Instant.now(clock)))
            .query((row, n) -> row.getObject("message_id", UUID.class))
            .list());
    }

    /** One message's effect, in its own trace's span and with its correlation id in the logs. */
    private void applyOne(ConsumerRecord<String, Envelope> record, Consumer<Envelope> handler) {
        Envelope message = record.value();
        ReceiverContext<ConsumerRecord<String, Envelope>> trace = new ReceiverContext<>(Inbox::header);
        trace.setCarrier(record);
        trace.setRemoteServiceName(record.topic());
        Observation apply = Observation.createNotStarted("emporium.inbox.apply", () -> trace, observations)
            .contextualName(record.topic() + " process")
            .lowCardinalityKeyValue("messaging.destination.name", record.topic())
            .lowCardinalityKeyValue("messaging.message.type", message.type())
            .highCardinalityKeyValue("messaging.message.id", message.messageId().toString());
        if (message.correlationId() != null) {
            apply.highCardinalityKeyValue(correlation.spanAttribute(), message.correlationId());
        }
        apply.observe(() -> {
            if (message.correlationId() == null) {
                handler.accept(message);
                return;
            }
            try (MDC.MDCCloseable ignored = MDC.putCloseable(correlation.logKey(), message.correlationId())) {
                handler.accept(message);
            }
        });
    }

    private static String header(ConsumerRecord<String, Envelope> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The first record whose bytes were not an envelope (the deserializer left no value), or -1. */
    private static int firstUnreadable(List<ConsumerRecord<String, Envelope>> records) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).value() == null) {
                return i;
            }
        }
        return -1;
    }

    private static UnreadableMessageException unreadable(ConsumerRecord<String, Envelope> record) {
        var cause = SerializationUtils.getExceptionFromHeader(record, SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER,
                new org.springframework.core.log.LogAccessor(Inbox.class));
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        return cause == null
                ? new UnreadableMessageException(where + " has no value: not an Emporium message envelope")
                : new UnreadableMessageException(where + " is not an Emporium message envelope: " + cause.getMessage(), cause);
    }
}
