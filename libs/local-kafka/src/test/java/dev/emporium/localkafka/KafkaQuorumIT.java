package dev.emporium.localkafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three brokers as {@code ./emporium up --kafka-brokers=3} starts them: one KRaft quorum of three
 * nodes, each broker and controller, secured. A topic at replication factor 3 and
 * {@code min.insync.replicas} 2 keeps taking acknowledged writes (acks=all) with one node killed, and
 * loses none of them.
 */
class KafkaQuorumIT {

    @TempDir
    static Path directory;

    static final KafkaLogin ADMIN = KafkaLogin.admin("an-admin-password");
    static final List<Process> nodes = new ArrayList<>();
    static String bootstrap;

    @BeforeAll
    static void startThreeNodes() throws Exception {
        List<Integer> ports = IntStream.range(0, 3).mapToObj(n -> freePort()).toList();
        List<Integer> controllerPorts = IntStream.range(0, 3).mapToObj(n -> freePort()).toList();
        String quorum = IntStream.range(0, 3).mapToObj(n -> (n + 1) + "@localhost:" + controllerPorts.get(n)).collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        bootstrap = ports.stream().map(port -> "localhost:" + port).collect(Collectors.joining(","));
        Path adminPassword = Files.writeString(directory.resolve("admin-password"), ADMIN.password());
        for (int n = 0; n < 3; n++) {
            nodes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-cp",
                    System.getProperty("java.class.path"), KafkaBroker.class.getName(), directory.resolve("kafka-" + (n + 1)).toString(),
                    Integer.toString(ports.get(n)), Integer.toString(controllerPorts.get(n)), adminPassword.toString(), "--node=" + (n + 1),
                    "--quorum=" + quorum, "--cluster-id=" + clusterId)
                .redirectErrorStream(true).redirectOutput(directory.resolve("broker-" + (n + 1) + ".log").toFile()).start());
        }
        await("three brokers in the cluster").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
            .failFast("a broker exited", () -> nodes.stream().anyMatch(node -> !node.isAlive()))
            .until(() -> KafkaBroker.answers(bootstrap, ADMIN, 3));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        nodes.forEach(Process::destroy);
        for (Process node : nodes) {
            node.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aReplicatedTopicTakesAndKeepsEveryAcknowledgedWriteWithOneNodeKilled() throws Exception {
        try (Admin admin = Admin.create(withLogin(Map.of()))) {
            admin.createTopics(List.of(new NewTopic("replicated", 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                .all().get(60, TimeUnit.SECONDS);
            TopicDescription topic = admin.describeTopics(List.of("replicated")).allTopicNames().get(30, TimeUnit.SECONDS).get("replicated");
            assertThat(topic.partitions().getFirst().replicas()).hasSize(3);
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(withLogin(Map.of(ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000)),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("replicated", "k", "before-" + i)).get(60, TimeUnit.SECONDS);
            }
            Process killed = nodes.get(2);
            killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("replicated", "k", "after-" + i)).get(120, TimeUnit.SECONDS);
            }
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(withLogin(Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest")), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition("replicated", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> read = new ArrayList<>();
            await("every acknowledged record read back from the two nodes left").atMost(Duration.ofMinutes(1))
                .until(() -> {
                    consumer.poll(Duration.ofMillis(500)).forEach(record -> read.add(record.value()));
                    return read.size() >= 20;
                });
            assertThat(read).containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> (i < 10 ? "before-" : "after-") + (i % 10))
                .toList());
        }
    }

    private static Map<String, Object> withLogin(Map<String, Object> more) {
        Map<String, Object> properties = new HashMap<>(ADMIN.clientProperties());
        properties.put("bootstrap.servers", bootstrap);
        properties.putAll(more);
        return properties;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
