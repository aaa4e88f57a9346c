package dev.emporium.localkafka;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * One Apache Kafka broker in KRaft mode (broker and controller in one process), its log kept in the
 * given folder so a restart keeps topics, offsets and undelivered messages. The local run starts it
 * as its own process, and so do tests that stop and restart a broker.
 *
 * <p>{@code java -cp ... dev.emporium.localkafka.KafkaBroker <data-dir> <port> <controller-port> [<admin-password-file>]
 * [--node=<id> --quorum=<id>@localhost:<controller-port>,... --cluster-id=<id>]}
 * <p>Alone (no {@code --quorum}) it is node 1 and its own quorum. With {@code --quorum} it is one node
 * of a cluster whose controllers are the nodes listed: every node is started with the same quorum and
 * cluster id, and Kafka's internal topics are replicated to three nodes (two in sync) when there are
 * three, so that the cluster keeps working without any one of them.
 * <p>With an administrator's password the broker authenticates every client (SASL: SCRAM-SHA-256 for
 * the services, PLAIN for the administrator, its one super user) and authorizes each request against
 * ACLs (KRaft's StandardAuthorizer; no ACL, no access): see {@link KafkaAccess}. Without one it is the
 * open PLAINTEXT broker the tests that restart a broker use.
 */
public final class KafkaBroker {

    private KafkaBroker() {
    }

    /** Where a node stands in its cluster: its id, every controller ({@code id@host:port}), the cluster's id. */
    record Node(int id, String quorum, String clusterId) {

        static Node alone(int controllerPort) {
            return new Node(1, "1@localhost:" + controllerPort, null);
        }

        int size() {
            return quorum.split(",").length;
        }
    }

    public static void main(String[] args) throws IOException {
        List<String> positional = Arrays.stream(args).filter(arg -> !arg.startsWith("--")).toList();
        Map<String, String> options = Arrays.stream(args).filter(arg -> arg.startsWith("--") && arg.contains("="))
            .collect(Collectors.toMap(arg -> arg.substring(2, arg.indexOf('=')), arg -> arg.substring(arg.indexOf('=') + 1)));
        if (positional.size() != 3 && positional.size() != 4 || options.size() != args.length - positional.size()
                || options.containsKey("quorum") != (options.containsKey("node") && options.containsKey("cluster-id"))) {
            throw new IllegalArgumentException("usage: kafka <data-dir> <port> <controller-port> [<admin-password-file>]"
                    + " [--node=<id> --quorum=<id>@localhost:<controller-port>,... --cluster-id=<id>], not " + Arrays.toString(args));
        }
        Path dir = Path.of(positional.get(0));
        int controllerPort = Integer.parseInt(positional.get(2));
        Node node = options.containsKey("quorum")
                ? new Node(Integer.parseInt(options.get("node")), options.get("quorum"), options.get("cluster-id"))
                : Node.alone(controllerPort);
        String adminPassword = positional.size() == 4 ? Files.readString(Path.of(positional.get(3))).strip() : null;
        Path config = writeConfig(dir, Integer.parseInt(positional.get(1)), controllerPort, node, adminPassword);
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            String clusterId = node.clusterId() == null ? Uuid.randomUuid().toString() : node.clusterId();
            int formatted = StorageTool.execute(new String[] { "format", "--cluster-id", clusterId,
                    "--config", config.toString(), "--ignore-formatted" }, System.out);
            if (formatted != 0) {
                throw new IllegalStateException("Formatting Kafka's storage in " + dir + " failed (exit " + formatted + ")");
            }
        }
        kafka.Kafka.main(new String[] { config.toString() });
    }

    /** Whether an open broker at {@code bootstrapServers} answers a metadata request within a few seconds. */
    public static boolean answers(String bootstrapServers) {
        return answers(bootstrapServers, null);
    }

    /** Whether a broker answers the administrator (or, without a login, anyone) within a few seconds. */
    public static boolean answers(String bootstrapServers, KafkaLogin login) {
        return answers(bootstrapServers, login, 1);
    }

    /** Whether the cluster answers the administrator (or anyone) within a few seconds with at least this many brokers. */
    public static boolean answers(String bootstrapServers, KafkaLogin login, int brokers) {
        Properties config = new Properties();
        if (login != null) {
            config.putAll(login.clientProperties());
        }
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(config)) {
            return admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size() >= brokers;
        }
        catch (Exception e) {
            return false;
        }
    }

    private static Path writeConfig(Path dir, int port, int controllerPort, Node node, String adminPassword) throws IOException {
        Files.createDirectories(dir);
        Properties broker = new Properties();
        broker.setProperty("process.roles", "broker,controller");
        broker.setProperty("node.id", Integer.toString(node.id()));
        broker.setProperty("controller.quorum.voters", node.quorum());
        broker.setProperty("controller.listener.names", "CONTROLLER");
        if (adminPassword == null) {
            broker.setProperty("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
            broker.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + port);
            broker.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            broker.setProperty("inter.broker.listener.name", "PLAINTEXT");
        }
        else {
            secured(broker, port, controllerPort, KafkaLogin.admin(adminPassword));
        }
        broker.setProperty("log.dirs", dir.resolve("data").toString());
        // Internal topics (consumer offsets above all) on up to three nodes, two of them in sync to take a
        // write: one broker alone cannot replicate, and a cluster of three keeps going without any one.
        String replicas = Integer.toString(Math.min(3, node.size()));
        String inSync = node.size() >= 3 ? "2" : "1";
        broker.setProperty("offsets.topic.replication.factor", replicas);
        broker.setProperty("transaction.state.log.replication.factor", replicas);
        broker.setProperty("transaction.state.log.min.isr", inSync);
        broker.setProperty("share.coordinator.state.topic.replication.factor", replicas);
        broker.setProperty("share.coordinator.state.topic.min.isr", inSync);
        broker.setProperty("default.replication.factor", replicas);
        broker.setProperty("min.insync.replicas", inSync);
        broker.setProperty("group.initial.rebalance.delay.ms", "0");
        // Topics belong to the services that declare them; a misspelt topic name must not create one.
        broker.setProperty("auto.create.topics.enable", "false");
        Path config = dir.resolve("server.properties");
        Files.deleteIfExists(config);
        Files.createFile(config, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(config)) {
            broker.store(out, "Written by the Emporium launcher on every start");
        }
        return config;
    }

    /**
     * Every listener asks for credentials: clients SCRAM-SHA-256 (the services) or PLAIN (the
     * administrator, defined here so that it exists before any SCRAM credential); the controller
     * listener PLAIN, for the administrator alone. Everything not allowed by an ACL is refused.
     */
    private static void secured(Properties broker, int port, int controllerPort, KafkaLogin admin) {
        String plainUsers = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + admin.username()
                + "\" password=\"" + admin.password() + "\" user_" + admin.username() + "=\"" + admin.password() + "\";";
        broker.setProperty("listeners", "SASL_PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        broker.setProperty("advertised.listeners", "SASL_PLAINTEXT://localhost:" + port);
        broker.setProperty("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        broker.setProperty("inter.broker.listener.name", "SASL_PLAINTEXT");
        broker.setProperty("sasl.enabled.mechanisms", KafkaLogin.SCRAM + ",PLAIN");
        broker.setProperty("sasl.mechanism.inter.broker.protocol", "PLAIN");
        broker.setProperty("sasl.mechanism.controller.protocol", "PLAIN");
        broker.setProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config", plainUsers);
        broker.setProperty("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        broker.setProperty("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        broker.setProperty("listener.name.controller.plain.sasl.jaas.config", plainUsers);
        broker.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        broker.setProperty("super.users", "User:" + admin.username());
        broker.setProperty("allow.everyone.if.no.acl.found", "false");
    }
}
