package dev.emporium.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.emporium.messaging.MessagingTestApplication.Note;
import dev.emporium.messaging.MessagingTestApplication.NoteListener;
import dev.emporium.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The relay driven by hand (its background thread is off), in a database and on topics of this
 * test's own: a relay that dies mid-batch, and two relays running at once.
 */
@SpringBootTest(properties = { "emporium.messaging.outbox.enabled=false", "test.commands-topic=relay-crash-commands" })
@RealInfrastructure(database = "messaging_relay_crash")
class OutboxRelayIT {

    static final String TOPIC = "relay-crash-commands";

    @Autowired
    Outbox outbox;

    @Autowired
    OutboxRelay relay;

    @Autowired
    NoteListener listener;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MessagingProperties properties;

    @Autowired
    KafkaAdmin admin;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    /**
     * The relay dies after Kafka acknowledged a batch but before it marked the batch sent. The relay
     * that runs next publishes the batch again, and the inbox applies the effect once.
     */
    @Test
    void republishesABatchWhoseRelayDiedBeforeMarkingItSentAndTheInboxAppliesItOnce() {
        String counter = "crash-" + UUID.randomUUID();
        UUID messageId = transactions.execute(status -> outbox.publish(TOPIC, counter, counter, new Note(counter, 1, false)).messageId());
        OutboxRelay dying = manualRelay(new DiesBeforeMarkingSent(jdbc), properties);

        assertThatThrownBy(dying::publishPending).hasMessageContaining("relay process killed");

        try (TopicReader reader = new TopicReader(bootstrapServers, TOPIC)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> copiesOf(reader, messageId) == 1);
            assertThat(isPending(messageId)).as("still pending after the crash").isTrue();

            assertThat(relay.publishPending()).isEqualTo(1);

            await().atMost(Duration.ofSeconds(30)).until(() -> copiesOf(reader, messageId) == 2);
            assertThat(isPending(messageId)).isFalse();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.counter(counter) == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> listener.counter(counter) == 1);
        assertThat(listener.attemptsFor(counter)).isEqualTo(1);
    }

    /** Two instances of a service share one outbox: every message goes out once, each key in order. */
    @Test
    void twoRelaysAtOnceKeepEachKeysOrderAndPublishEveryMessageOnce() throws Exception {
        String topic = "two-relays-" + UUID.randomUUID();
        admin.createOrModifyTopics(TopicBuilder.name(topic).partitions(3).replicas(1).build());
        List<UUID> committed = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String key = "order-" + (i % 6);
            int sequence = i / 6;
            committed.add(transactions.execute(status -> outbox.publish(topic, key, key, new Note(key, sequence, false)).messageId()));
        }
        MessagingProperties smallBatches = new MessagingProperties(new MessagingProperties.Outbox(false, Duration.ofMillis(100), 5,
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofDays(1), Duration.ofHours(1)),
                properties.inbox(), properties.consumer(), properties.deadLetters(), properties.correlation());
        List<OutboxRelay> relays = List.of(manualRelay(new OutboxStore(jdbc), smallBatches), manualRelay(new OutboxStore(jdbc), smallBatches));

        ExecutorService instances = Executors.newFixedThreadPool(2);
        List<Future<Integer>> published = new ArrayList<>();
        for (OutboxRelay relay : relays) {
            published.add(instances.submit(() -> {
                int total = 0;
                while (pending() > 0) {
                    total += relay.publishPending();
                }
                return total;
            }));
        }
        int total = published.get(0).get(60, TimeUnit.SECONDS) + published.get(1).get(60, TimeUnit.SECONDS);
        instances.shutdown();

        assertThat(total).isEqualTo(committed.size());
        try (TopicReader reader = new TopicReader(bootstrapServers, topic)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.poll().size() >= committed.size());
            List<ConsumerRecord<String, String>> records = reader.poll();
            assertThat(records).hasSize(committed.size());
            Map<String, List<Integer>> sequences = new TreeMap<>();
            records.stream()
                .sorted(Comparator.<ConsumerRecord<String, String>>comparingInt(ConsumerRecord::partition)
                    .thenComparingLong(ConsumerRecord::offset))
                .map(record -> MessageJson.envelope(record.value().getBytes(StandardCharsets.UTF_8)).payload(Note.class))
                .forEach(note -> sequences.computeIfAbsent(note.counter(), k -> new ArrayList<>()).add(note.sequence()));
            assertThat(sequences).hasSize(6)
                .allSatisfy((key, keySequences) -> assertThat(keySequences).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        }
    }

    private OutboxRelay manualRelay(OutboxStore store, MessagingProperties settings) {
        return new OutboxRelay(store, transactions, kafka(), io.micrometer.observation.ObservationRegistry.NOOP, new RelaySignal(), settings,
                Clock.systemUTC());
    }

    private int pending() {
        return jdbc.sql("select count(*) from outbox where sent_at is null").query(Integer.class).single();
    }

    private long copiesOf(TopicReader reader, UUID messageId) {
        return reader.envelopes().stream().filter(envelope -> envelope.messageId().equals(messageId)).count();
    }

    private boolean isPending(UUID messageId) {
        return jdbc.sql("select sent_at is null from outbox where message_id = :id").param("id", messageId)
            .query(Boolean.class).single();
    }

    private KafkaTemplate<String, String> kafka() {
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer()));
    }

    /** An outbox store whose process is killed right after Kafka acknowledged the batch. */
    static class DiesBeforeMarkingSent extends OutboxStore {

        DiesBeforeMarkingSent(JdbcClient jdbc) {
            super(jdbc);
        }

        @Override
        void markSent(List<Long> ids, Instant at) {
            throw new IllegalStateException("relay process killed between publish and mark-sent");
        }
    }
}
