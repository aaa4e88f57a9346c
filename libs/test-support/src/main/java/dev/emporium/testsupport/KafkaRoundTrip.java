package dev.emporium.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

import static org.awaitility.Awaitility.await;

/**
 * Proves that a service's own Kafka wiring (its template and its admin) reaches a real broker: one
 * record goes out on a fresh topic and an independent consumer reads it back.
 */
public final class KafkaRoundTrip {

    private KafkaRoundTrip() {
    }

    public static ConsumerRecord<String, String> sendAndReceive(KafkaAdmin admin, KafkaTemplate<Object, Object> template,
            String key, String value) throws Exception {
        String topic = "round-trip-" + UUID.randomUUID();
        admin.createOrModifyTopics(TopicBuilder.name(topic).partitions(1).replicas(1).build());
        template.send(topic, key, value).get();

        AtomicReference<ConsumerRecord<String, String>> received = new AtomicReference<>();
        Object bootstrapServers = admin.getConfigurationProperties().get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        try (Consumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG, topic),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (Objects.equals(record.key(), key)) {
                        received.set(record);
                    }
                }
                return received.get() != null;
            });
        }
        return received.get();
    }
}
