package dev.emporium.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.fge.jsonschema.core.exceptions.ProcessingException;
import com.github.fge.jsonschema.core.report.ProcessingMessage;
import com.github.fge.jsonschema.core.report.ProcessingReport;
import com.github.fge.jsonschema.main.JsonSchema;
import com.github.fge.jsonschema.main.JsonSchemaFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Holds what really travels on the platform's topics to docs/asyncapi.yaml, as a Kafka client that has
 * only the document would read it: every record of every documented channel must be an envelope of a
 * message that channel documents, with its payload's schema, its documented headers and its documented
 * key. Stricter than the document: every object schema is closed and every documented payload field
 * must be there, so an undocumented field, a missing one or a {@code null} where a string is
 * documented fails. A record that sits in its topic's dead-letter topic is the platform refusing
 * something it could not read, and is not held to the document.
 */
final class AsyncApiRecords {

    private static final ObjectMapper json = new ObjectMapper();
    private static final JsonSchemaFactory schemas = JsonSchemaFactory.byDefault();

    /** One documented message: what its value, payload and headers must be, and which payload field its key is. */
    private record Message(JsonSchema envelope, JsonSchema payload, JsonSchema headers, String keyField) {
    }

    /** The messages each topic documents, by type. */
    private final Map<String, Map<String, Message>> channels = new LinkedHashMap<>();

    AsyncApiRecords(Path document) throws IOException, ProcessingException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(document.toFile());
        // the schemas closed as the OpenAPI check closes its documents; their $refs resolve as written
        ObjectNode components = json.createObjectNode();
        components.set("schemas", root.path("components").path("schemas").deepCopy());
        ContractCheck.close(components);
        for (JsonNode channel : root.path("channels")) {
            Map<String, Message> messages = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : channel.path("messages").properties()) {
                JsonNode message = root.at(pointer(entry.getValue().path("$ref").asText()));
                String payload = name(message.at("/payload/allOf/1/properties/payload/$ref").asText());
                String binding = name(message.path("bindings").path("$ref").asText());
                messages.put(entry.getKey(), new Message(schema(components, "Envelope", false), schema(components, payload, true),
                        schema(components, "Headers", false), binding.equals("ProductKey") ? "productId" : "orderId"));
            }
            channels.put(channel.path("address").asText(), messages);
        }
    }

    Set<String> topics() {
        return channels.keySet();
    }

    /**
     * What breaks the document on the broker, one line each (the same breach counted once, with an
     * example); empty when nothing does.
     *
     * @param client an administrator's client properties (bootstrap servers and login)
     */
    List<String> violations(Map<String, Object> client) {
        Map<String, Object> properties = new HashMap<>(client);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, List<String>> found = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Set<String> deadLettered = deadLettered(consumer);
            for (String topic : topics()) {
                for (ConsumerRecord<byte[], byte[]> record : readAll(consumer, topic)) {
                    if (!deadLettered.contains(topic + "-" + record.partition() + "@" + record.offset())) {
                        violations(topic, text(record.key()), text(record.value()), headers(record)).forEach(violation -> found
                            .computeIfAbsent(violation, key -> new ArrayList<>()).add(topic + "-" + record.partition() + "@" + record.offset()));
                    }
                }
            }
        }
        return found.entrySet().stream()
            .map(entry -> entry.getKey() + " (" + entry.getValue().size() + " record(s), e.g. " + entry.getValue().getFirst() + ")")
            .toList();
    }

    /** What breaks the document in one record of {@code topic}. */
    List<String> violations(String topic, String key, String value, Map<String, String> headers) {
        List<String> violations = new ArrayList<>();
        JsonNode envelope;
        try {
            envelope = json.readTree(value == null ? "null" : value);
        }
        catch (IOException e) {
            return List.of(topic + ": a value that is no JSON");
        }
        String type = envelope.path("type").asText();
        Message message = channels.getOrDefault(topic, Map.of()).get(type);
        if (message == null) {
            return List.of(topic + ": type '" + type + "' is not a message of this channel");
        }
        String where = topic + " " + type;
        check(message.envelope(), envelope, where + " envelope", violations);
        check(message.payload(), envelope.path("payload"), where + " payload", violations);
        check(message.headers(), json.valueToTree(headers), where + " headers", violations);
        String keyed = envelope.path("payload").path(message.keyField()).asText(null);
        if (key == null || !key.equals(keyed)) {
            violations.add(where + ": the key is not the payload's " + message.keyField());
        }
        return violations;
    }

    private static void check(JsonSchema schema, JsonNode instance, String where, List<String> violations) {
        try {
            ProcessingReport report = schema.validate(instance, true);
            for (ProcessingMessage message : report) {
                if (message.getLogLevel().compareTo(com.github.fge.jsonschema.core.report.LogLevel.ERROR) < 0) {
                    continue; // a warning, such as a format draft 4 does not know (uuid)
                }
                JsonNode detail = message.asJson();
                violations.add(where + " " + detail.at("/instance/pointer").asText() + ": " + message.getMessage());
            }
        }
        catch (ProcessingException e) {
            violations.add(where + ": cannot be checked: " + e.getMessage());
        }
    }

    /** Every offset that went to a dead-letter topic, as {@code <topic>-<partition>@<offset>}. */
    private Set<String> deadLettered(KafkaConsumer<byte[], byte[]> consumer) {
        Set<String> offsets = new HashSet<>();
        for (String topic : topics()) {
            for (ConsumerRecord<byte[], byte[]> record : readAll(consumer, topic + ".DLT")) {
                Map<String, String> headers = headers(record);
                String original = headers.get("kafka_dlt-original-topic");
                String partition = headers.containsKey("kafka_dlt-original-partition") ? Integer.toString(
                        java.nio.ByteBuffer.wrap(record.headers().lastHeader("kafka_dlt-original-partition").value()).getInt()) : null;
                String offset = headers.containsKey("kafka_dlt-original-offset") ? Long.toString(
                        java.nio.ByteBuffer.wrap(record.headers().lastHeader("kafka_dlt-original-offset").value()).getLong()) : null;
                offsets.add(original + "-" + partition + "@" + offset);
            }
        }
        return offsets;
    }

    /** Every record of the topic, from its beginning to its end now (none if it does not exist). */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
            .map(info -> new TopicPartition(topic, info.partition())).toList();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        if (partitions.isEmpty()) {
            return records;
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
        Instant deadline = Instant.now().plusSeconds(30);
        while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("could not read " + topic + " to its end within 30 s");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** The named schema, able to resolve the others; a payload's documented fields all required. */
    private static JsonSchema schema(ObjectNode components, String name, boolean everyFieldRequired) throws ProcessingException {
        ObjectNode schema = components.path("schemas").path(name).deepCopy();
        if (everyFieldRequired && schema.has("properties")) {
            schema.set("required", json.valueToTree(schema.get("properties").properties().stream().map(Map.Entry::getKey).toList()));
        }
        schema.set("components", components);
        return schemas.getJsonSchema(schema);
    }

    private static String pointer(String ref) {
        return ref.substring(1);
    }

    private static String name(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}
