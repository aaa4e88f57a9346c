package dev.emporium.testsupport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Messages as another service would put them on Kafka: the platform's envelope around a payload, sent
 * straight to a topic. For tests that play a saga participant, or deliver the same message twice.
 */
public final class TestMessages {

    private static final JsonMapper json = JsonMapper.builder().build();

    private TestMessages() {
    }

    /** A new envelope (fresh message id) for {@code payload}, as JSON; {@code correlationId} null for a fact about the keyed aggregate alone. */
    public static String envelope(String type, Object correlationId, Object payload) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("messageId", UUID.randomUUID());
        envelope.put("type", type);
        envelope.put("occurredAt", Instant.now().toString());
        envelope.put("correlationId", correlationId == null ? null : correlationId.toString());
        envelope.put("payload", payload);
        return json.writeValueAsString(envelope);
    }

    /** Sends {@code value} as it is, and waits for the broker's acknowledgement. */
    public static void send(String bootstrapServers, String topic, Object key, String value) {
        sendAll(bootstrapServers, topic, Map.of(key, value));
    }

    /**
     * Sends each value under its key, in the map's order, through one producer, and waits for the broker's
     * acknowledgement of all of them. They reach the consumer together, as a burst, which a test of
     * anything counted per second needs: a producer per message takes longer to open than the burst lasts.
     */
    public static void sendAll(String bootstrapServers, String topic, Map<?, String> valueByKey) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            valueByKey.forEach((key, value) -> sent.add(producer.send(new ProducerRecord<>(topic, key.toString(), value))));
            producer.flush();
            for (Future<RecordMetadata> acknowledged : sent) {
                acknowledged.get(10, TimeUnit.SECONDS);
            }
        }
        catch (Exception e) {
            throw new IllegalStateException("Could not send " + valueByKey.size() + " test message(s) to " + topic, e);
        }
    }
}
