package dev.emporium.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.jayway.jsonpath.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything on one topic from its beginning, as an independent consumer sees it: for tests that
 * check what a service published (through its outbox) without being part of its consumer groups.
 */
public final class TopicRecords implements AutoCloseable {

    /** One record: its key, and the envelope's {@code type} and JSON value. */
    public record Message(String key, String type, String json) {

        /** A field of the envelope's payload, e.g. {@code read("$.payload.reason")}. */
        public <T> T read(String path) {
            return JsonPath.read(json, path);
        }
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Message> messages = new CopyOnWriteArrayList<>();

    public TopicRecords(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Polls once more and returns every message read so far. */
    public List<Message> poll() {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
            String type;
            try {
                type = JsonPath.read(record.value(), "$.type");
            }
            catch (RuntimeException e) {
                type = null;
            }
            messages.add(new Message(record.key(), type, record.value()));
        }
        return messages;
    }

    /** Polls once more and returns the messages with this key. */
    public List<Message> withKey(Object key) {
        poll();
        return readWithKey(key);
    }

    /** The messages with this key among those read so far, without polling (cheap in a loop). */
    public List<Message> readWithKey(Object key) {
        return messages.stream().filter(message -> key.toString().equals(message.key())).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
