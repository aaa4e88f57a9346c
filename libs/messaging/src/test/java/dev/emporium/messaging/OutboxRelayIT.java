package dev.emporium.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
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
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
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
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionOperations;
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
     * The relay dies after Kafka acknowledged a batch but before its transaction, which marks the batch
     * sent, committed. The relay that runs next publishes the batch again, and the inbox applies the
     * effect once.
     */
    @Test
    void republishesABatchWhoseRelayDiedBeforeItsMarkCommittedAndTheInboxAppliesItOnce() {
        String counter = "crash-" + UUID.randomUUID();
        UUID messageId = transactions.execute(status -> outbox.publish(TOPIC, counter, counter, new Note(counter, 1, false)).messageId());
        OutboxRelay dying = manualRelay(properties, diesBeforeCommitting());

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
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofDays(1), Duration.ofHours(1), Duration.ZERO),
                properties.inbox(), properties.consumer(), properties.deadLetters(), properties.correlation());
        List<OutboxRelay> relays = List.of(manualRelay(smallBatches, transactions), manualRelay(smallBatches, transactions));

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

    /**
     * Woken by a commit, the relay waits its linger before it looks: a commit right behind joins the
     * same batch (one transaction, one {@code sent_at}) instead of a transaction of its own.
     */
    @Test
    void aCommitRightBehindTheOneThatWokeTheRelayJoinsItsBatch() {
        String topic = oneTopic("linger-");
        RelaySignal signal = new RelaySignal();
        OutboxRelay relay = signalledRelay(signal, Duration.ofSeconds(1));
        relay.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> pending() == 0);
            UUID first = transactions.execute(status -> outbox.publish(topic, "a", "a", new Note("linger", 0, false)).messageId());
            signal.wakeUp();
            await("the first message waits out the linger").during(Duration.ofMillis(300)).atMost(Duration.ofMillis(600))
                .until(() -> isPending(first));
            UUID second = transactions.execute(status -> outbox.publish(topic, "a", "a", new Note("linger", 1, false)).messageId());
            signal.wakeUp();

            await().atMost(Duration.ofSeconds(30)).until(() -> !isPending(first) && !isPending(second));
            assertThat(jdbc.sql("select count(distinct sent_at) from outbox where message_id in (:ids)").param("ids", List.of(first, second))
                .query(Integer.class).single()).as("batches that carried the two messages").isEqualTo(1);
        }
        finally {
            relay.stop();
        }
    }

    /** A relay stopped and started again (Spring pauses the cached contexts of tests) relays as before. */
    @Test
    void aRelayStoppedAndStartedAgainKeepsRelaying() {
        String topic = oneTopic("restarted-");
        RelaySignal signal = new RelaySignal();
        OutboxRelay relay = signalledRelay(signal, Duration.ofMillis(5));
        relay.start();
        relay.stop();
        relay.start();
        try {
            for (int sequence = 0; sequence < 3; sequence++) {
                int next = sequence;
                UUID message = transactions.execute(status -> outbox.publish(topic, "a", "a", new Note("restarted", next, false)).messageId());
                signal.wakeUp();
                await("message " + sequence + " relayed after the restart").atMost(Duration.ofSeconds(10)).until(() -> !isPending(message));
            }
        }
        finally {
            relay.stop();
        }
    }

    /**
     * The relay opens its Kafka producer as it starts, not for its first message: the first order after
     * a start does not wait for the producer to connect and register. This relay never finds a message
     * (its transactions run nothing), so only the start can have opened the producer.
     */
    @Test
    void opensItsProducerAsItStartsBeforeAnyMessage() {
        AtomicInteger opened = new AtomicInteger();
        DefaultKafkaProducerFactory<String, String> producers = producers();
        producers.addListener(new ProducerFactory.Listener<>() {
            @Override
            public void producerAdded(String id, Producer<String, String> producer) {
                opened.incrementAndGet();
            }
        });
        TransactionOperations nothingPending = new TransactionOperations() {
            @Override
            public <T> T execute(TransactionCallback<T> action) {
                return null;
            }
        };
        OutboxRelay relay = new OutboxRelay(new OutboxStore(jdbc), nothingPending, new KafkaTemplate<>(producers),
                io.micrometer.observation.ObservationRegistry.NOOP, new RelaySignal(), properties, Clock.systemUTC());
        relay.start();
        try {
            await("the producer opened").atMost(Duration.ofSeconds(10)).until(() -> opened.get() == 1);
        }
        finally {
            relay.stop();
            producers.destroy();
        }
    }

    private String oneTopic(String prefix) {
        String topic = prefix + UUID.randomUUID();
        admin.createOrModifyTopics(TopicBuilder.name(topic).partitions(1).replicas(1).build());
        return topic;
    }

    /**
     * A relay that only {@code signal} wakes (its poll interval is too long to matter), with the
     * given linger and this context's other settings.
     */
    private OutboxRelay signalledRelay(RelaySignal signal, Duration linger) {
        MessagingProperties settings = new MessagingProperties(new MessagingProperties.Outbox(false, Duration.ofSeconds(30), 200,
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofDays(1), Duration.ofHours(1), linger),
                properties.inbox(), properties.consumer(), properties.deadLetters(), properties.correlation());
        return new OutboxRelay(new OutboxStore(jdbc), transactions, kafka(), io.micrometer.observation.ObservationRegistry.NOOP, signal,
                settings, Clock.systemUTC());
    }

    /** A relay that runs only when the test calls it, in the given transactions. */
    private OutboxRelay manualRelay(MessagingProperties settings, TransactionOperations transactions) {
        return new OutboxRelay(new OutboxStore(jdbc), transactions, kafka(), io.micrometer.observation.ObservationRegistry.NOOP, new RelaySignal(), settings,
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
        return new KafkaTemplate<>(producers());
    }

    private DefaultKafkaProducerFactory<String, String> producers() {
        return new DefaultKafkaProducerFactory<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    /**
     * Transactions of a process that is killed once the work of a transaction is done (for the relay:
     * Kafka acknowledged the batch), before the commit. What the transaction wrote rolls back.
     */
    private TransactionOperations diesBeforeCommitting() {
        return new TransactionOperations() {
            @Override
            public <T> T execute(TransactionCallback<T> action) {
                return transactions.execute(status -> {
                    action.doInTransaction(status);
                    throw new IllegalStateException("relay process killed after Kafka acknowledged, before the commit");
                });
            }
        };
    }
}
