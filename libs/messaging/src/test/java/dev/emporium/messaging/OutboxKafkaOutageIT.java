package dev.emporium.messaging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.emporium.messaging.MessagingTestApplication.Note;
import dev.emporium.testsupport.KafkaProcess;
import dev.emporium.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka goes down while the service keeps working: every message committed meanwhile waits in the
 * outbox and reaches Kafka, in each key's commit order, once the broker is back, with no restart of
 * the service. The broker is this test's own process, so stopping it disturbs no other test.
 */
@SpringBootTest
@RealInfrastructure(database = "messaging_outage", kafka = false)
class OutboxKafkaOutageIT {

    static final String TOPIC = "outage-orders";
    static final int KEYS = 10;
    static final int TRANSACTIONS = 100;

    @TempDir
    static Path brokerData;

    static KafkaProcess kafka;

    @DynamicPropertySource
    static void ownBroker(DynamicPropertyRegistry registry) {
        kafka = KafkaProcess.start(brokerData.resolve("kafka"));
        registry.add("spring.kafka.bootstrap-servers", kafka::bootstrapServers);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    KafkaAdmin admin;

    @Autowired
    MeterRegistry meters;

    @Test
    void deliversEverythingCommittedWhileKafkaWasDownInPerKeyOrderWithoutARestart() {
        admin.createOrModifyTopics(TopicBuilder.name(TOPIC).partitions(3).replicas(1).build());
        kafka.stop();

        List<UUID> committed = new ArrayList<>();
        for (int i = 0; i < TRANSACTIONS; i++) {
            String key = "order-" + (i % KEYS);
            int sequence = i / KEYS;
            committed.add(transactions.execute(status -> {
                jdbc.sql("insert into notes (text) values (:text)").param("text", key + " #" + sequence).update();
                return outbox.publish(TOPIC, key, key, new Note(key, sequence, false)).messageId();
            }));
        }
        await("the relay to notice that Kafka is down").atMost(Duration.ofSeconds(30))
            .until(() -> meters.get("emporium.outbox.pending").gauge().value() == TRANSACTIONS);
        await().atMost(Duration.ofSeconds(10)).until(() -> meters.get("emporium.outbox.oldest.age").gauge().value() >= 1);

        kafka.start();

        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), TOPIC)) {
            await("all 100 messages on Kafka").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> distinctIds(reader.envelopes()).containsAll(committed));
            Map<String, List<Integer>> sequencesByKey = new LinkedHashMap<>();
            Set<UUID> seen = new LinkedHashSet<>();
            for (Envelope envelope : sortedByPartitionOffset(reader)) {
                if (seen.add(envelope.messageId())) {
                    Note note = envelope.payload(Note.class);
                    sequencesByKey.computeIfAbsent(note.counter(), k -> new ArrayList<>()).add(note.sequence());
                }
            }
            assertThat(sequencesByKey).hasSize(KEYS);
            sequencesByKey.forEach((key, sequences) -> assertThat(sequences).as("sequence of %s", key)
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> meters.get("emporium.outbox.pending").gauge().value() == 0);
        assertThat(meters.get("emporium.outbox.oldest.age").gauge().value()).isZero();
    }

    private static Set<UUID> distinctIds(List<Envelope> envelopes) {
        Set<UUID> ids = new LinkedHashSet<>();
        envelopes.forEach(envelope -> ids.add(envelope.messageId()));
        return ids;
    }

    /** Each key lives in one partition; reading partition by partition in offset order is the order Kafka holds. */
    private static List<Envelope> sortedByPartitionOffset(TopicReader reader) {
        return reader.poll().stream()
            .sorted(java.util.Comparator.<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>>comparingInt(
                    org.apache.kafka.clients.consumer.ConsumerRecord::partition)
                .thenComparingLong(org.apache.kafka.clients.consumer.ConsumerRecord::offset))
            .map(record -> MessageJson.envelope(record.value().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .toList();
    }
}
