package dev.emporium.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.emporium.chaos.ChaosSettings.Fault;
import dev.emporium.launcher.Platform;

/**
 * What each {@link Fault} does to a running platform: processes killed and started again, paused and
 * resumed, the broker and the database restarted, consumed records published again, unreadable ones
 * put on the saga's topics. It remembers what the audit must then find: the records sent again (each
 * recognised by an inbox) and the topics poisoned (each record on a dead-letter topic).
 */
final class ChaosFaults {

    /** Long enough for the other brokers to notice (KRaft's session timeout) and move the leaders away. */
    static final Duration BROKER_DOWN = Duration.ofSeconds(15);

    private final ChaosSettings settings;
    private final Platform platform;
    private int redelivered;
    private final List<String> poisoned = new ArrayList<>();

    ChaosFaults(ChaosSettings settings, Platform platform) {
        this.settings = settings;
        this.platform = platform;
    }

    int redelivered() {
        return redelivered;
    }

    List<String> poisoned() {
        return List.copyOf(poisoned);
    }

    /** @return what was done, for the run's timeline */
    String inject(Fault fault) {
        return switch (fault) {
            case KILL_INVENTORY -> killAndRestart("inventory-service");
            case KILL_ORDER -> killAndRestart("order-service");
            case KILL_USER -> killAndRestart("user-service");
            case KILL_GATEWAY -> killAndRestart("gateway");
            case KILL_DISCOVERY -> killAndRestart("discovery");
            case KILL_BROKER -> {
                String broker = platform.kafkaBrokers().getLast();
                platform.kill(broker);
                ChaosShop.pause(BROKER_DOWN);
                platform.restart(broker);
                platform.awaitKafka();
                yield broker + " killed (SIGKILL), down " + BROKER_DOWN.toSeconds() + " s, started again and back in the cluster";
            }
            case RESTART_KAFKA -> {
                platform.restartKafka();
                yield "broker stopped and started again";
            }
            case RESTART_POSTGRES -> {
                platform.restartPostgres();
                yield "PostgreSQL stopped (fast) and started again";
            }
            case PAUSE_INVENTORY -> {
                Duration pause = ChaosSettings.STEP_TIMEOUT.multipliedBy(2).plusSeconds(2);
                platform.suspend("inventory-service");
                ChaosShop.pause(pause);
                platform.resume("inventory-service");
                yield "inventory-service stopped for " + pause.toSeconds() + " s (step timeout " + ChaosSettings.STEP_TIMEOUT.toSeconds() + " s)";
            }
            case REDELIVER -> {
                int count = redeliver();
                redelivered += count;
                yield count + " already-consumed records published again";
            }
            case POISON -> {
                poison();
                yield "unreadable records on " + poisoned;
            }
        };
    }

    /** The first instance; with replicas its twins stay up and take its share. */
    private String killAndRestart(String service) {
        platform.kill(service);
        ChaosShop.pause(Duration.ofSeconds(2));
        platform.restart(service);
        int instances = platform.instancesOf(service).size();
        return service + " killed (SIGKILL) and started again" + (instances > 1 ? " (" + (instances - 1) + " more instance(s) up)" : "");
    }

    private int redeliver() {
        int count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = producer()) {
            for (String topic : ChaosSettings.SAGA_TOPICS) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
                Instant until = Instant.now().plusSeconds(10);
                while (records.size() < settings.redeliveries() && Instant.now().isBefore(until)) {
                    consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                }
                for (ConsumerRecord<byte[], byte[]> record : records.subList(0, Math.min(records.size(), settings.redeliveries()))) {
                    producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers()));
                    count++;
                }
            }
            producer.flush();
        }
        return count;
    }

    private void poison() {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (String topic : ChaosSettings.SAGA_TOPICS) {
                producer.send(new ProducerRecord<>(topic, ("poison-" + topic).getBytes(StandardCharsets.UTF_8),
                        "this is not an envelope {".getBytes(StandardCharsets.UTF_8)));
                poisoned.add(topic);
            }
            producer.flush();
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(kafka(Map.of(ProducerConfig.ACKS_CONFIG, "all")), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private Properties kafka(Map<String, String> extra) {
        Properties properties = new Properties();
        properties.putAll(platform.kafkaClientProperties());
        properties.putAll(extra);
        return properties;
    }
}
