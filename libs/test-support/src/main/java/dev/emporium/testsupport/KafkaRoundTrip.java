package dev.emporium.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

import static org.awaitility.Awaitility.await;

/**
 * Proves that a service's own Kafka wiring (its template, its consumer factory, its admin) reaches a
 * real broker: one record goes out on a fresh topic and is read back.
 */
public final class KafkaRoundTrip {

    private KafkaRoundTrip() {
    }

    public static ConsumerRecord<Object, Object> sendAndReceive(KafkaAdmin admin, KafkaTemplate<Object, Object> template,
            ConsumerFactory<Object, Object> consumers, Object key, Object value) throws Exception {
        String topic = "round-trip-" + UUID.randomUUID();
        admin.createOrModifyTopics(TopicBuilder.name(topic).partitions(1).replicas(1).build());
        template.send(topic, key, value).get();

        AtomicReference<ConsumerRecord<Object, Object>> received = new AtomicReference<>();
        try (Consumer<Object, Object> consumer = consumers.createConsumer(topic, "round-trip")) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<Object, Object> record : consumer.poll(Duration.ofMillis(200))) {
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
