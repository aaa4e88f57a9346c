package dev.emporium.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.transaction.support.TransactionTemplate;

import dev.emporium.messaging.MessagingTestApplication.Note;
import dev.emporium.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The transactional outbox and its relay against a real PostgreSQL and Kafka. */
// The same context (and so the same listener group) as DeadLetterIT: one listener on the topic.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RealInfrastructure(database = "messaging")
class OutboxIT {

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    KafkaAdmin admin;

    @Autowired
    Tracer tracer;

    @Autowired
    MessagingTestApplication.NoteListener listener;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Value(MessagingTestApplication.COMMANDS_PROPERTY)
    String commandsTopic;

    @Test
    void publishesNothingForARolledBackTransactionAndExactlyOnceForACommittedOne() {
        String topic = freshTopic();
        UUID[] rolledBack = new UUID[1];

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            jdbc.sql("insert into notes (text) values ('never committed')").update();
            rolledBack[0] = outbox.publish(topic, "key-1", "flow-1", new Note("rolled-back", 1, false)).messageId();
            throw new IllegalStateException("the business rule fails after the message was written");
        })).hasMessageContaining("business rule fails");
        UUID committed = transactions.execute(status -> {
            jdbc.sql("insert into notes (text) values ('committed')").update();
            return outbox.publish(topic, "key-1", "flow-1", new Note("committed", 2, false)).messageId();
        });

        try (TopicReader reader = new TopicReader(bootstrapServers, topic)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !reader.envelopes().isEmpty());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(reader.envelopes()).hasSize(1));
            Envelope published = reader.envelopes().getFirst();
            assertThat(published.messageId()).isEqualTo(committed).isNotEqualTo(rolledBack[0]);
            assertThat(published.type()).isEqualTo("Note");
            assertThat(published.correlationId()).isEqualTo("flow-1");
            assertThat(published.payload(Note.class)).isEqualTo(new Note("committed", 2, false));
        }
    }

    @Test
    void sendsTheAggregateIdAsKeyAndContinuesTheTraceOfTheWritingTransaction() {
        String topic = freshTopic();
        Span checkout = request();
        try (Tracer.SpanInScope ignored = tracer.withSpan(checkout)) {
            transactions.executeWithoutResult(status -> outbox.publish(topic, "order-42", "order-42", new Note("headers", 1, false)));
        }
        finally {
            checkout.end();
        }

        try (TopicReader reader = new TopicReader(bootstrapServers, topic)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !reader.poll().isEmpty());
            ConsumerRecord<String, String> record = reader.poll().getFirst();
            assertThat(record.key()).isEqualTo("order-42");
            String traceparent = new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
            assertThat(traceparent).as("same trace, sampled, parent = the relay's producer span, not the request's")
                .startsWith("00-" + checkout.context().traceId() + "-")
                .endsWith("-01")
                .doesNotContain(checkout.context().spanId());
            assertThat(record.headers().headers("traceparent")).as("one traceparent, the stored one replaced").hasSize(1);
        }
    }

    /** docs/asyncapi.yaml: correlationId is a string, absent where a message belongs to no flow (inventory events); never null. */
    @Test
    void leavesOutTheCorrelationIdOfAMessageThatBelongsToNoFlow() {
        String topic = freshTopic();
        transactions.executeWithoutResult(status -> outbox.publish(topic, "product-7", null, new Note("no-flow", 1, false)));

        try (TopicReader reader = new TopicReader(bootstrapServers, topic)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !reader.poll().isEmpty());
            String value = reader.poll().getFirst().value();
            assertThat(com.jayway.jsonpath.JsonPath.<java.util.Map<String, Object>>read(value, "$")).as(value)
                .containsKeys("messageId", "type", "occurredAt", "payload").doesNotContainKey("correlationId");
            assertThat(MessageJson.envelope(value.getBytes(StandardCharsets.UTF_8)).correlationId()).as("read back").isNull();
        }
    }

    @Test
    void theConsumerAppliesTheMessageInTheSameTraceWithTheOrderIdInTheLogContext() {
        Span checkout = request();
        String counter = "traced-" + UUID.randomUUID();
        try (Tracer.SpanInScope ignored = tracer.withSpan(checkout)) {
            transactions.executeWithoutResult(status -> outbox.publish(commandsTopic, "order-7", "order-7", new Note(counter, 1, false)));
        }
        finally {
            checkout.end();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> listener.traces.containsKey(counter));
        assertThat(listener.traces.get(counter)).isEqualTo(checkout.context().traceId() + " order-7");
    }

    /** A span as a shopper's request would open (SERVER: the kind that may start a trace). */
    private Span request() {
        return tracer.spanBuilder().name("POST /checkout").kind(Span.Kind.SERVER).start();
    }

    /** A transaction's messages go in at its commit, in one statement, in the order they were published. */
    @Test
    void writesTheMessagesOfATransactionInOneStatementWhenItCommits() {
        String topic = freshTopic();
        String flow = "one-statement-" + UUID.randomUUID();

        long beforeTheCommit = transactions.execute(status -> {
            for (int sequence = 0; sequence < 3; sequence++) {
                outbox.publish(topic, "key-" + sequence, flow, new Note(flow, sequence, false));
            }
            return rowsOf(flow);
        });

        assertThat(beforeTheCommit).as("rows in the outbox before the commit, seen from the transaction itself").isZero();
        assertThat(jdbc.sql("select message_key from outbox where correlation_id = :flow order by id").param("flow", flow)
            .query(String.class).list()).containsExactly("key-0", "key-1", "key-2");
        // each statement of a transaction has a command id of its own, stamped on the rows it inserts
        assertThat(jdbc.sql("select count(distinct cmin::text) from outbox where correlation_id = :flow").param("flow", flow)
            .query(Long.class).single()).as("insert statements that wrote the three rows").isEqualTo(1);
    }

    private long rowsOf(String flow) {
        return jdbc.sql("select count(*) from outbox where correlation_id = :flow").param("flow", flow).query(Long.class).single();
    }

    @Test
    void refusesToPublishOutsideATransaction() {
        assertThatIllegalStateException()
            .isThrownBy(() -> outbox.publish("anywhere", "key", "flow", new Note("no-transaction", 1, false)))
            .withMessageContaining("must run inside the transaction");
    }

    @Test
    void deletesSentMessagesOnlyAfterTheirRetention() {
        String topic = freshTopic();
        UUID id = transactions.execute(status -> outbox.publish(topic, "k", "f", new Note("retention", 1, false)).messageId());
        await().atMost(Duration.ofSeconds(30)).until(() -> isSent(id));
        OutboxStore store = new OutboxStore(jdbc);

        store.deleteSentBefore(Instant.now().minus(Duration.ofHours(1)));
        assertThat(rowCount(id)).isEqualTo(1);

        store.deleteSentBefore(Instant.now().plus(Duration.ofSeconds(1)));
        assertThat(rowCount(id)).isZero();
    }

    private String freshTopic() {
        String topic = "outbox-it-" + UUID.randomUUID();
        admin.createOrModifyTopics(TopicBuilder.name(topic).partitions(3).replicas(1).build());
        return topic;
    }

    private boolean isSent(UUID id) {
        return jdbc.sql("select sent_at is not null from outbox where message_id = :id").param("id", id).query(Boolean.class)
            .single();
    }

    private int rowCount(UUID id) {
        return jdbc.sql("select count(*) from outbox where message_id = :id").param("id", id).query(Integer.class).single();
    }
}
