package dev.emporium.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.emporium.messaging.MessagingTestApplication.Note;
import dev.emporium.messaging.MessagingTestApplication.NoteListener;
import dev.emporium.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The idempotent inbox: however often a message arrives, its effect happens once; a poll is one transaction. */
// The same context (and so the same listener group) as DeadLetterIT: one listener on the topic.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RealInfrastructure(database = "messaging")
class InboxIT {

    @Autowired
    NoteListener listener;

    @Autowired
    MeterRegistry meters;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Value("${emporium.messaging.consumer.attempts}")
    int attempts;

    @Test
    void appliesAMessageDeliveredThreeTimesOnce() throws Exception {
        String counter = "thrice-" + UUID.randomUUID();
        Envelope message = new Envelope(UUID.randomUUID(), "Note", java.time.Instant.now(), "flow",
                MessageJson.tree(new Note(counter, 1, false)));
        double duplicatesBefore = duplicates();

        var producer = new DefaultKafkaProducerFactory<String, byte[]>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(), new ByteArraySerializer());
        KafkaTemplate<String, byte[]> kafka = new KafkaTemplate<>(producer);
        for (int delivery = 0; delivery < 3; delivery++) {
            kafka.send(new ProducerRecord<>(MessagingTestApplication.COMMANDS, counter, MessageJson.bytes(message))).get();
        }
        producer.destroy();

        await().atMost(Duration.ofSeconds(30)).until(() -> duplicates() - duplicatesBefore >= 2);
        assertThat(listener.counter(counter)).isEqualTo(1);
        assertThat(listener.attemptsFor(counter)).isEqualTo(1);
    }

    /** What one poll returns is applied in one transaction: ten records, one commit. */
    @Test
    void appliesTheRecordsOfOnePollInOneTransaction() throws Exception {
        String counter = "batch-" + UUID.randomUUID();
        DistributionSummary batches = meters.get("emporium.inbox.batch.size").summary();
        long transactionsBefore = batches.count();
        double recordsBefore = batches.totalAmount();

        whileTheListenerIsStopped(kafka -> {
            for (int sequence = 0; sequence < 10; sequence++) {
                send(kafka, counter + "-" + sequence, new Note(counter + "-" + sequence, sequence, false));
            }
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> listener.counter(counter + "-9") == 1);
        assertThat(batches.count() - transactionsBefore).isEqualTo(1);
        assertThat(batches.totalAmount() - recordsBefore).isEqualTo(10);
        for (int sequence = 0; sequence < 10; sequence++) {
            assertThat(listener.counter(counter + "-" + sequence)).isEqualTo(1);
        }
    }

    /**
     * A transaction of several new messages locks first: {@code lockFirst} runs in it, before any effect,
     * with the messages not applied before. A transaction of one message does not call it.
     */
    @Test
    void locksFirstInTheTransactionOfSeveralNewMessagesBeforeAnyEffect(@Autowired Inbox inbox) {
        List<String> happened = new ArrayList<>();
        Consumer<List<Envelope>> lockFirst = messages -> happened.add("lock " + messages.stream().map(Envelope::type).toList()
                + (TransactionSynchronizationManager.isActualTransactionActive() ? " in the transaction" : " outside it"));
        Consumer<Envelope> handler = message -> happened.add("apply " + message.type());
        Envelope first = note("First");

        inbox.receive(List.of(record(first)), lockFirst, handler);
        inbox.receive(List.of(record(first), record(note("Second")), record(note("Third"))), lockFirst, handler);

        assertThat(happened).containsExactly("apply First", "lock [Second, Third] in the transaction", "apply Second", "apply Third");
    }

    private static Envelope note(String type) {
        return new Envelope(UUID.randomUUID(), type, java.time.Instant.now(), "flow", MessageJson.tree(new Note(type, 0, false)));
    }

    private static ConsumerRecord<String, Envelope> record(Envelope message) {
        return new ConsumerRecord<>(MessagingTestApplication.COMMANDS, 0, 0, message.messageId().toString(), message);
    }

    /**
     * A record that fails in the middle of a batch is retried, then dead-lettered, alone: the records
     * before it are committed without it, those after it are applied after it, each once.
     */
    @Test
    void aRecordThatFailsInTheMiddleOfABatchIsRetriedAloneAndEveryOtherIsAppliedOnce() throws Exception {
        String counter = "split-" + UUID.randomUUID();
        String failing = counter + "-failing";
        listener.failing.set(true);
        try {
            whileTheListenerIsStopped(kafka -> {
                for (int sequence = 0; sequence < 3; sequence++) {
                    send(kafka, counter + "-before-" + sequence, new Note(counter + "-before-" + sequence, sequence, false));
                }
                send(kafka, failing, new Note(failing, 3, true));
                for (int sequence = 0; sequence < 3; sequence++) {
                    send(kafka, counter + "-after-" + sequence, new Note(counter + "-after-" + sequence, sequence, false));
                }
            });

            await().atMost(Duration.ofSeconds(30)).until(() -> listener.counter(counter + "-after-2") == 1);
        }
        finally {
            listener.failing.set(false);
        }
        assertThat(listener.attemptsFor(failing)).isEqualTo(attempts);
        assertThat(listener.counter(failing)).isZero();
        for (int sequence = 0; sequence < 3; sequence++) {
            assertThat(listener.counter(counter + "-before-" + sequence)).isEqualTo(1);
            assertThat(listener.counter(counter + "-after-" + sequence)).isEqualTo(1);
            // before it: the batch's first try, rolled back, and the try without it; after it: once
            assertThat(listener.attemptsFor(counter + "-before-" + sequence)).isEqualTo(2);
            assertThat(listener.attemptsFor(counter + "-after-" + sequence)).isEqualTo(1);
        }
    }

    @Test
    void commitsWhatItAppliedWithinTheCommitIntervalNotAfterEveryRecord() throws Exception {
        MessageListenerContainer container = listeners.getListenerContainers().iterator().next();
        assertThat(container.getContainerProperties().getAckMode()).isEqualTo(ContainerProperties.AckMode.TIME);
        assertThat(container.getContainerProperties().getAckTime()).isEqualTo(1000);

        String counter = "committed-" + UUID.randomUUID();
        var producer = new DefaultKafkaProducerFactory<String, byte[]>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(), new ByteArraySerializer());
        KafkaTemplate<String, byte[]> kafka = new KafkaTemplate<>(producer);
        for (int sequence = 0; sequence < 5; sequence++) {
            Envelope message = new Envelope(UUID.randomUUID(), "Note", java.time.Instant.now(), "flow",
                    MessageJson.tree(new Note(counter, sequence, false)));
            kafka.send(new ProducerRecord<>(MessagingTestApplication.COMMANDS, counter, MessageJson.bytes(message))).get();
        }
        producer.destroy();
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.counter(counter) == 5);

        // Nothing more arrives: the offsets of what was applied must still be committed, within about
        // a commit interval, so that a restart does not deliver it all again.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lag(admin, container.getGroupId())).isZero());
        }
    }

    /** Sends while the listener is stopped, so that its first poll after the start returns all of it. */
    private void whileTheListenerIsStopped(ThrowingConsumer<KafkaTemplate<String, byte[]>> sending) throws Exception {
        MessageListenerContainer container = listeners.getListenerContainers().iterator().next();
        container.stop();
        var producer = new DefaultKafkaProducerFactory<String, byte[]>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(), new ByteArraySerializer());
        try {
            sending.accept(new KafkaTemplate<>(producer));
        }
        finally {
            producer.destroy();
            container.start();
        }
    }

    /** Every record on one partition: one poll returns them in order. */
    private static void send(KafkaTemplate<String, byte[]> kafka, String key, Note note) throws Exception {
        Envelope message = new Envelope(UUID.randomUUID(), "Note", java.time.Instant.now(), "flow", MessageJson.tree(note));
        kafka.send(new ProducerRecord<>(MessagingTestApplication.COMMANDS, 2, key, MessageJson.bytes(message))).get();
    }

    interface ThrowingConsumer<T> {
        void accept(T value) throws Exception;
    }

    /** Records of the commands topic not yet committed by the group. */
    private static long lag(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get();
        assertThat(committed).as("partitions with committed offsets").isNotEmpty();
        return committed.entrySet().stream()
            .filter(entry -> entry.getKey().topic().equals(MessagingTestApplication.COMMANDS))
            .mapToLong(entry -> ends.get(entry.getKey()).offset() - entry.getValue().offset())
            .sum();
    }

    private double duplicates() {
        return meters.counter("emporium.inbox.duplicates").count();
    }
}
