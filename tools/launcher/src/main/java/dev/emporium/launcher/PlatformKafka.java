package dev.emporium.launcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;

import dev.emporium.localkafka.KafkaAccess;
import dev.emporium.localkafka.KafkaBroker;
import dev.emporium.localkafka.KafkaLogin;

/**
 * The platform's broker: a KRaft broker of its own (run from the launcher's jar, with SASL logins and
 * ACLs, {@link KafkaAccess}), or the one {@code EMPORIUM_KAFKA_BOOTSTRAP_SERVERS} names, reached as it is.
 */
final class PlatformKafka {

    private final Settings settings;

    PlatformKafka(Settings settings) {
        this.settings = settings;
    }

    String bootstrap() {
        return settings.externalKafka().orElse("localhost:" + settings.port(Platform.KAFKA_PORT));
    }

    boolean embedded() {
        return settings.externalKafka().isEmpty();
    }

    /** The command that runs the embedded broker (started by {@link Processes}). */
    List<String> command(String javaCommand, String launcherJar) {
        List<String> command = new ArrayList<>(List.of(javaCommand, "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
                "-Demporium.process=kafka", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-jar", launcherJar, "kafka",
                settings.home().resolve("kafka").toString(), Integer.toString(settings.port(Platform.KAFKA_PORT)),
                Integer.toString(settings.port(Platform.KAFKA_CONTROLLER_PORT))));
        command.add(LocalSecret.kafkaPassword(settings, KafkaLogin.ADMIN).file().toString());
        return command;
    }

    boolean answers() {
        return embedded() ? KafkaBroker.answers(bootstrap(), admin()) : KafkaBroker.answers(bootstrap());
    }

    /** Each service's login, allowed only its own topics and groups. */
    void grantTheServicesTheirTopics() throws InterruptedException {
        try (Admin admin = Admin.create(clientProperties())) {
            KafkaAccess.apply(admin, KafkaAccess.SERVICES.stream().collect(Collectors.toMap(KafkaAccess.Service::name,
                    service -> LocalSecret.kafkaPassword(settings, service.name()).value())));
        }
    }

    /** What a service is given to reach the broker. */
    void addTo(Map<String, String> environment, String service) {
        environment.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap());
        if (embedded()) {
            environment.put("KAFKA_USERNAME", service);
            environment.put("KAFKA_PASSWORD", LocalSecret.kafkaPassword(settings, service).value());
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
