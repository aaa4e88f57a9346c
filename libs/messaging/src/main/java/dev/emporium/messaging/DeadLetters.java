package dev.emporium.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.swagger.v3.oas.annotations.media.Schema;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * The dead-letter topics of this service's listeners ({@code <topic>.DLT}): list what is in them and
 * send one record back to the topic it came from, with its original key, value and headers. A
 * replayed message keeps its message id; since its effect never committed, the inbox applies it.
 *
 * <p>A topic another service owns is not written to by its readers (least privilege: order-service
 * may read inventory-service's {@code inventory-prices}, not publish prices). A listener of such a
 * topic also reads {@code <topic>.replay}, a topic of its own service, and its dead letters are
 * replayed there: the same listener applies them through the same inbox, and nobody else sees them.
 * A record that fails again on the replay topic goes back to the original topic's dead letters.
 */
public class DeadLetters {

    static final String SUFFIX = ".DLT";
    /** The suffix of the topic a service replays into when the original topic belongs to another service. */
    public static final String REPLAY_SUFFIX = ".replay";
    static final String REPLAYED_FROM = "emporium-replayed-from";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    /**
     * What a dead letter's id looks like, as listed: {@code <dead-letter topic>-<partition>-<offset>}, the
     * topic in the characters Kafka allows in a topic's name.
     */
    static final String ID_PATTERN = "([a-zA-Z0-9._-]+\\.DLT)-([0-9]{1,9})-([0-9]{1,18})";
    private static final Pattern ID = Pattern.compile(ID_PATTERN);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final ConsumerFactory<byte[], byte[]> consumers;
    private final KafkaTemplate<byte[], byte[]> producer;
    private final Supplier<Collection<String>> consumedTopics;
    private final int maxListed;

    DeadLetters(ConsumerFactory<byte[], byte[]> consumers, KafkaTemplate<byte[], byte[]> producer,
            Supplier<Collection<String>> consumedTopics, int maxListed) {
        this.consumers = consumers;
        this.producer = producer;
        this.consumedTopics = consumedTopics;
        this.maxListed = maxListed;
    }

    /**
     * One dead-lettered record.
     *
     * @param id {@code <dlt-topic>-<partition>-<offset>}, what {@link #replay(String)} takes
     */
    @Schema(description = "A record a listener gave up on, as it sits in its dead-letter topic")
    public record DeadLetter(
            @Schema(description = "`<dead-letter topic>-<partition>-<offset>`: what replaying takes", example = "inventory-commands.DLT-0-3",
                    requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(description = "The topic it came from, and goes back to when replayed (a topic another service owns: this service's"
                    + " `<topic>.replay`, which the same listener reads)", example = "inventory-commands", nullable = true)
            String originalTopic,
            @Schema(description = "Where replaying sends it: the topic it came from, or for a topic another service owns this service's"
                    + " `<topic>.replay`, which the same listener reads; null when it names no topic it came from",
                    example = "inventory-prices.replay", nullable = true) String replayTopic,
            @Schema(description = "The record's key (the order id for saga messages)", nullable = true) String key,
            @Schema(description = "The envelope's message id; null when the value is not a readable envelope", nullable = true) String messageId,
            @Schema(description = "The message's type, e.g. ReserveStock; null when unreadable", example = "ReserveStock", nullable = true)
            String type,
            @Schema(description = "The class of the exception that made the listener give up", nullable = true) String exception,
            @Schema(description = "Its message", nullable = true) String reason,
            @Schema(description = "When it was dead-lettered", requiredMode = Schema.RequiredMode.REQUIRED) Instant deadLetteredAt,
            @Schema(description = "The record's value as text", nullable = true) String value) {
    }

    /** The dead-letter topics of the topics this service's listeners consume (a replay topic shares its original's). */
    public Set<String> topics() {
        Set<String> topics = new TreeSet<>();
        consumedTopics.get().forEach(topic -> topics.add(deadLetterTopicOf(topic)));
        return topics;
    }

    /** What this service creates for its listeners: their dead-letter topics, and the replay topics they read. */
    Set<String> topicsToCreate() {
        Set<String> topics = topics();
        consumedTopics.get().stream().filter(topic -> topic.endsWith(REPLAY_SUFFIX)).forEach(topics::add);
        return topics;
    }

    /** {@code <topic>.DLT}, for a topic and for its replay topic alike. */
    static String deadLetterTopicOf(String topic) {
        return originalOf(topic) + SUFFIX;
    }

    /** The topic a record of this one came from first: the topic itself, or the original of a replay topic. */
    static String originalOf(String topic) {
        return topic.endsWith(REPLAY_SUFFIX) ? topic.substring(0, topic.length() - REPLAY_SUFFIX.length()) : topic;
    }

    /**
     * Where a dead letter of this topic is replayed: into the topic itself, unless this service's
     * listener of it also reads {@code <topic>.replay} (the topic belongs to another service).
     */
    String replayTopicFor(String originalTopic) {
        return consumedTopics.get().contains(originalTopic + REPLAY_SUFFIX) ? originalTopic + REPLAY_SUFFIX : originalTopic;
    }

    /** Every record in this service's dead-letter topics (up to the configured maximum), oldest first. */
    public List<DeadLetter> list() {
        List<DeadLetter> all = new ArrayList<>();
        try (Consumer<byte[], byte[]> consumer = consumers.createConsumer("dead-letters-admin", "list")) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics()) {
                consumer.partitionsFor(topic, READ_TIMEOUT).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            if (partitions.isEmpty()) {
                return List.of();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
            Instant deadline = Instant.now().plus(READ_TIMEOUT);
            while (!reachedEnd(consumer, ends) && all.size() < maxListed && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> all.add(describe(record)));
            }
        }
        all.sort(Comparator.comparing(DeadLetter::deadLetteredAt));
        return all.size() > maxListed ? all.subList(0, maxListed) : all;
    }

    /**
     * Sends the dead-lettered record with this id back to its original topic.
     *
     * @return the record that was replayed, or empty if there is no such record (in this service's
     *         dead-letter topics)
     * @throws IllegalArgumentException if {@code id} is not of the form the listing gives
     */
    public Optional<DeadLetter> replay(String id) {
        Matcher parts = ID.matcher(id);
        if (!parts.matches()) {
            throw new IllegalArgumentException("'" + id + "' is not a dead letter id; ids look like "
                    + topics().stream().findFirst().orElse("orders.DLT") + "-0-42 (topic-partition-offset), as listed");
        }
        if (!topics().contains(parts.group(1))) {
            return Optional.empty();
        }
        TopicPartition partition = new TopicPartition(parts.group(1), Integer.parseInt(parts.group(2)));
        long offset = Long.parseLong(parts.group(3));
        Optional<ConsumerRecord<byte[], byte[]>> found = read(partition, offset);
        found.ifPresent(record -> send(id, record));
        return found.map(this::describe);
    }

    private Optional<ConsumerRecord<byte[], byte[]>> read(TopicPartition partition, long offset) {
        try (Consumer<byte[], byte[]> consumer = consumers.createConsumer("dead-letters-admin", "replay")) {
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), READ_TIMEOUT).get(partition);
            if (offset >= end) {
                return Optional.empty();
            }
            consumer.seek(partition, offset);
            Instant deadline = Instant.now().plus(READ_TIMEOUT);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == offset) {
                        return Optional.of(record);
                    }
                    if (record.offset() > offset) {
                        return Optional.empty(); // compacted or deleted
                    }
                }
            }
            return Optional.empty();
        }
    }

    private void send(String id, ConsumerRecord<byte[], byte[]> deadLetter) {
        String originalTopic = header(deadLetter, KafkaHeaders.DLT_ORIGINAL_TOPIC).orElseThrow(() -> new IllegalStateException(
                "Dead letter " + id + " has no " + KafkaHeaders.DLT_ORIGINAL_TOPIC + " header; it was not written by this platform"));
        String target = replayTopicFor(originalTopic);
        ProducerRecord<byte[], byte[]> replay = new ProducerRecord<>(target, deadLetter.key(), deadLetter.value());
        for (Header header : deadLetter.headers()) {
            if (!header.key().startsWith("kafka_dlt-") && !header.key().equals(REPLAYED_FROM)) {
                replay.headers().add(header);
            }
        }
        replay.headers().add(REPLAYED_FROM, id.getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(replay).get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while replaying " + id, e);
        }
        catch (Exception e) {
            throw new IllegalStateException("Could not replay " + id + " to " + target + ": " + e.getMessage(), e);
        }
        log.info("Replayed dead letter {} to {}", id, target);
    }

    private static boolean reachedEnd(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    private DeadLetter describe(ConsumerRecord<byte[], byte[]> record) {
        String value = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
        Optional<Envelope> envelope = Optional.empty();
        if (record.value() != null) {
            try {
                envelope = Optional.of(MessageJson.envelope(record.value()));
            }
            catch (UnreadableMessageException e) {
                // an unreadable record is listed with its raw value
            }
        }
        Optional<String> originalTopic = header(record, KafkaHeaders.DLT_ORIGINAL_TOPIC);
        return new DeadLetter(record.topic() + "-" + record.partition() + "-" + record.offset(), originalTopic.orElse(null),
                originalTopic.map(this::replayTopicFor).orElse(null),
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                envelope.map(e -> e.messageId().toString()).orElse(null), envelope.map(Envelope::type).orElse(null),
                header(record, KafkaHeaders.DLT_EXCEPTION_FQCN).orElse(null),
                header(record, KafkaHeaders.DLT_EXCEPTION_MESSAGE).orElse(null), Instant.ofEpochMilli(record.timestamp()), value);
    }

    private static Optional<String> header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}
