package dev.emporium.localkafka;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import java.util.concurrent.TimeUnit;

import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * One Apache Kafka broker in KRaft mode (broker and controller in one process), its log kept in the
 * given folder so a restart keeps topics, offsets and undelivered messages. The local run starts it
 * as its own process, and so do tests that stop and restart a broker.
 *
 * <p>{@code java -cp ... dev.emporium.localkafka.KafkaBroker <data-dir> <port> <controller-port>}
 */
public final class KafkaBroker {

    private KafkaBroker() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: kafka <data-dir> <port> <controller-port>");
        }
        Path dir = Path.of(args[0]);
        Path config = writeConfig(dir, Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            int formatted = StorageTool.execute(new String[] { "format", "--cluster-id", Uuid.randomUuid().toString(),
                    "--config", config.toString(), "--ignore-formatted" }, System.out);
            if (formatted != 0) {
                throw new IllegalStateException("Formatting Kafka's storage in " + dir + " failed (exit " + formatted + ")");
            }
        }
        kafka.Kafka.main(new String[] { config.toString() });
    }

    /** Whether a broker at {@code bootstrapServers} answers a metadata request within a few seconds. */
    public static boolean answers(String bootstrapServers) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(config)) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        }
        catch (Exception e) {
            return false;
        }
    }

    private static Path writeConfig(Path dir, int port, int controllerPort) throws IOException {
        Files.createDirectories(dir);
        Properties broker = new Properties();
        broker.setProperty("process.roles", "broker,controller");
        broker.setProperty("node.id", "1");
        broker.setProperty("controller.quorum.voters", "1@localhost:" + controllerPort);
        broker.setProperty("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        broker.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + port);
        broker.setProperty("controller.listener.names", "CONTROLLER");
        broker.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        broker.setProperty("inter.broker.listener.name", "PLAINTEXT");
        broker.setProperty("log.dirs", dir.resolve("data").toString());
        // One broker: internal topics cannot be replicated.
        broker.setProperty("offsets.topic.replication.factor", "1");
        broker.setProperty("transaction.state.log.replication.factor", "1");
        broker.setProperty("transaction.state.log.min.isr", "1");
        broker.setProperty("share.coordinator.state.topic.replication.factor", "1");
        broker.setProperty("share.coordinator.state.topic.min.isr", "1");
        broker.setProperty("group.initial.rebalance.delay.ms", "0");
        // Topics belong to the services that declare them; a misspelt topic name must not create one.
        broker.setProperty("auto.create.topics.enable", "false");
        Path config = dir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            broker.store(out, "Written by the Emporium launcher on every start");
        }
        return config;
    }
}
