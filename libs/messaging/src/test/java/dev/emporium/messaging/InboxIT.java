package dev.emporium.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
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

import dev.emporium.messaging.MessagingTestApplication.Note;
import dev.emporium.messaging.MessagingTestApplication.NoteListener;
import dev.emporium.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The idempotent inbox: however often a message arrives, its effect happens once. */
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
