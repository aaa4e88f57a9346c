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
 * <p>{@code java -cp ... dev.emporium.localkafka.KafkaBroker <data-dir> <port> <controller-port> [<admin-password-file>]}
 * <p>With an administrator's password the broker authenticates every client (SASL: SCRAM-SHA-256 for
 * the services, PLAIN for the administrator, its one super user) and authorizes each request against
 * ACLs (KRaft's StandardAuthorizer; no ACL, no access): see {@link KafkaAccess}. Without one it is the
 * open PLAINTEXT broker the tests that restart a broker use.
 */
public final class KafkaBroker {

    private KafkaBroker() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3 && args.length != 4) {
            throw new IllegalArgumentException("usage: kafka <data-dir> <port> <controller-port> [<admin-password-file>]");
        }
        Path dir = Path.of(args[0]);
        String adminPassword = args.length == 4 ? Files.readString(Path.of(args[3])).strip() : null;
        Path config = writeConfig(dir, Integer.parseInt(args[1]), Integer.parseInt(args[2]), adminPassword);
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            int formatted = StorageTool.execute(new String[] { "format", "--cluster-id", Uuid.randomUuid().toString(),
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
        Properties config = new Properties();
        if (login != null) {
            config.putAll(login.clientProperties());
        }
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

    private static Path writeConfig(Path dir, int port, int controllerPort, String adminPassword) throws IOException {
        Files.createDirectories(dir);
        Properties broker = new Properties();
        broker.setProperty("process.roles", "broker,controller");
        broker.setProperty("node.id", "1");
        broker.setProperty("controller.quorum.voters", "1@localhost:" + controllerPort);
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
