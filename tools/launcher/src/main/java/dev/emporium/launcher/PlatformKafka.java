package dev.emporium.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;

import dev.emporium.localkafka.KafkaAccess;
import dev.emporium.localkafka.KafkaBroker;
import dev.emporium.localkafka.KafkaLogin;

/**
 * The platform's Kafka: brokers of its own (run from the launcher's jar, with SASL logins and ACLs,
 * {@link KafkaAccess}), or the one {@code EMPORIUM_KAFKA_BOOTSTRAP_SERVERS} names, reached as it is.
 * <p>
 * One broker by default. With {@code --kafka-brokers=3} three KRaft nodes, each broker and controller,
 * form one quorum: {@code kafka} on 9092 (controller 9093), {@code kafka-2} and {@code kafka-3}
 * {@value Instance#PORT_STEP} ports higher each. Their data is kept apart from the single broker's
 * ({@code <home>/kafka-quorum/<n>}), so switching between the two keeps both; and the services are
 * told to create their topics with replication factor 3 and {@code min.insync.replicas} 2, so that a
 * write is acknowledged by two brokers and any one broker can die without losing it.
 */
final class PlatformKafka {

    /** One embedded broker: its process name, its ports, where its log lives. */
    record Broker(int number, String name, int port, int controllerPort, Path data) {
    }

    private final Settings settings;

    PlatformKafka(Settings settings) {
        this.settings = settings;
    }

    /** The embedded brokers, none when the platform uses one of yours. */
    List<Broker> brokers() {
        if (!embedded()) {
            return List.of();
        }
        int count = settings.kafkaBrokers();
        return IntStream.rangeClosed(1, count).mapToObj(n -> new Broker(n, n == 1 ? "kafka" : "kafka-" + n,
                settings.port(Platform.KAFKA_PORT + Instance.PORT_STEP * (n - 1)),
                settings.port(Platform.KAFKA_CONTROLLER_PORT + Instance.PORT_STEP * (n - 1)),
                count == 1 ? settings.home().resolve("kafka") : settings.home().resolve("kafka-quorum").resolve(Integer.toString(n))))
            .toList();
    }

    String bootstrap() {
        return settings.externalKafka()
            .orElseGet(() -> brokers().stream().map(broker -> "localhost:" + broker.port()).collect(Collectors.joining(",")));
    }

    boolean embedded() {
        return settings.externalKafka().isEmpty();
    }

    /** The command that runs one embedded broker (started by {@link Processes}). */
    List<String> command(Broker broker, String javaCommand, String launcherJar) {
        List<String> command = new ArrayList<>(List.of(javaCommand, "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
                "-Demporium.process=" + broker.name(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-jar", launcherJar, "kafka",
                broker.data().toString(), Integer.toString(broker.port()), Integer.toString(broker.controllerPort())));
        command.add(LocalSecret.kafkaPassword(settings, KafkaLogin.ADMIN).file().toString());
        List<Broker> brokers = brokers();
        if (brokers.size() > 1) {
            command.add("--node=" + broker.number());
            command.add("--quorum=" + brokers.stream().map(node -> node.number() + "@localhost:" + node.controllerPort())
                .collect(Collectors.joining(",")));
            command.add("--cluster-id=" + LocalSecret.kafkaClusterId(settings));
        }
        return command;
    }

    /** Whether Kafka answers, with every embedded broker in the cluster. */
    boolean answers() {
        return embedded() ? KafkaBroker.answers(bootstrap(), admin(), brokers().size()) : KafkaBroker.answers(bootstrap());
    }

    /** Each service's login, allowed only its own topics and groups. */
    void grantTheServicesTheirTopics() throws InterruptedException {
        try (Admin admin = Admin.create(clientProperties())) {
            var removed = KafkaAccess.apply(admin, KafkaAccess.SERVICES.stream().collect(Collectors.toMap(KafkaAccess.Service::name,
                    service -> LocalSecret.kafkaPassword(settings, service.name()).value())));
            removed.forEach(grant -> System.out.println("emporium: removed a Kafka ACL the services no longer have: "
                    + grant.entry().principal() + " " + grant.entry().operation() + " on " + grant.pattern().resourceType() + " "
                    + grant.pattern().name()));
        }
    }

    /** What a service is given to reach the broker. */
    void addTo(Map<String, String> environment, String service) {
        environment.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap());
        if (embedded()) {
            environment.put("KAFKA_USERNAME", service);
            environment.put("KAFKA_PASSWORD", LocalSecret.kafkaPassword(settings, service).value());
            if (settings.kafkaBrokers() >= 3) {
                environment.put("EMPORIUM_KAFKA_REPLICATION_FACTOR", "3");
                environment.put("EMPORIUM_KAFKA_MIN_INSYNC_REPLICAS", "2");
            }
        }
        else {
            environment.put("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"); // your own broker, reached as it is
        }
    }

    /**
     * What a Kafka client of the launcher needs: the bootstrap servers and, for the embedded broker,
     * the administrator's login (the chaos run's injections, the audit).
     */
    Map<String, Object> clientProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bootstrap.servers", bootstrap());
        if (embedded()) {
            properties.putAll(admin().clientProperties());
        }
        return properties;
    }

    /** The broker's super user: the launcher itself. */
    private KafkaLogin admin() {
        return KafkaLogin.admin(LocalSecret.kafkaPassword(settings, KafkaLogin.ADMIN).value());
    }
}
