package dev.emporium.localkafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The local broker with authentication and ACLs, for real: a separate broker process started as the
 * local run starts it, the services' credentials and ACLs applied by {@link KafkaAccess#apply}, then
 * clients that may and may not write.
 */
class KafkaAccessIT {

    @TempDir
    static Path directory;

    static Process broker;
    static String bootstrap;
    static final KafkaLogin ADMIN = KafkaLogin.admin("an-admin-password");
    static final Map<String, String> PASSWORDS = Map.of("order-service", "order-secret", "inventory-service", "inventory-secret",
            "user-service", "user-secret");

    @BeforeAll
    static void startASecuredBroker() throws Exception {
        int port = freePort();
        int controllerPort = freePort();
        bootstrap = "localhost:" + port;
        Path adminPassword = Files.writeString(directory.resolve("admin-password"), ADMIN.password());
        broker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), KafkaBroker.class.getName(), directory.resolve("kafka").toString(),
                Integer.toString(port), Integer.toString(controllerPort), adminPassword.toString())
            .redirectErrorStream(true).redirectOutput(directory.resolve("broker.log").toFile()).start();
        await("the broker to answer its administrator").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
            .failFast("the broker exited", () -> !broker.isAlive())
            .until(() -> KafkaBroker.answers(bootstrap, ADMIN));
        try (Admin admin = Admin.create(withLogin(ADMIN, Map.of()))) {
            KafkaAccess.apply(admin, PASSWORDS);
            admin.createTopics(List.of(new NewTopic("user-commands", 1, (short) 1), new NewTopic("inventory-commands", 1, (short) 1),
                    new NewTopic("inventory-prices", 1, (short) 1), new NewTopic("inventory-prices.replay", 1, (short) 1)))
                .all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        broker.destroy();
        broker.waitFor(30, TimeUnit.SECONDS);
    }

    @Test
    void aServiceWritesTheTopicsItsACLsAllow() throws Exception {
        try (KafkaProducer<String, String> orders = producer(KafkaLogin.service("order-service", "order-secret"))) {
            assertThat(orders.send(new ProducerRecord<>("inventory-commands", "order-1", "{}")).get(30, TimeUnit.SECONDS).offset())
                .isNotNegative();
        }
    }

    @Test
    void inventoryServiceMayNotWriteUserCommands() {
        try (KafkaProducer<String, String> inventory = producer(KafkaLogin.service("inventory-service", "inventory-secret"))) {
            assertThatExceptionOfType(ExecutionException.class)
                .isThrownBy(() -> inventory.send(new ProducerRecord<>("user-commands", "order-1", "{\"type\":\"ReleaseCredit\"}"))
                    .get(30, TimeUnit.SECONDS))
                .withCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    /**
     * order-service reads inventory-service's prices but may not publish any: the dead letters of that
     * topic are replayed into a topic of its own.
     */
    @Test
    void orderServiceMayNotPublishPricesOnlyReplayIntoItsOwnTopic() throws Exception {
        try (KafkaProducer<String, String> orders = producer(KafkaLogin.service("order-service", "order-secret"))) {
            assertThatExceptionOfType(ExecutionException.class).as("a forged price")
                .isThrownBy(() -> orders.send(new ProducerRecord<>("inventory-prices", "product-1", "{\"type\":\"ProductPriced\"}"))
                    .get(30, TimeUnit.SECONDS))
                .withCauseInstanceOf(TopicAuthorizationException.class);
            assertThat(orders.send(new ProducerRecord<>("inventory-prices.replay", "product-1", "{}")).get(30, TimeUnit.SECONDS).offset())
                .as("its own replay topic").isNotNegative();
        }
        try (KafkaProducer<String, String> inventory = producer(KafkaLogin.service("inventory-service", "inventory-secret"))) {
            assertThat(inventory.send(new ProducerRecord<>("inventory-prices", "product-1", "{}")).get(30, TimeUnit.SECONDS).offset())
                .as("the owner").isNotNegative();
        }
    }

    /** A broker set up by an older version keeps no grant the table has dropped: applying the table again removes it. */
    @Test
    void applyingTheTableRemovesAGrantItNoLongerHolds() throws Exception {
        org.apache.kafka.common.acl.AclBinding stale = new org.apache.kafka.common.acl.AclBinding(
                new org.apache.kafka.common.resource.ResourcePattern(org.apache.kafka.common.resource.ResourceType.TOPIC, "user-commands",
                        org.apache.kafka.common.resource.PatternType.LITERAL),
                new org.apache.kafka.common.acl.AccessControlEntry("User:inventory-service", "*", org.apache.kafka.common.acl.AclOperation.WRITE,
                        org.apache.kafka.common.acl.AclPermissionType.ALLOW));
        try (Admin admin = Admin.create(withLogin(ADMIN, Map.of()))) {
            admin.createAcls(List.of(stale)).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.describeAcls(stale.toFilter()).values().get(30, TimeUnit.SECONDS)).as("granted by hand").contains(stale);

            assertThat(KafkaAccess.apply(admin, PASSWORDS)).as("reported").containsExactly(stale);

            assertThat(admin.describeAcls(stale.toFilter()).values().get(30, TimeUnit.SECONDS)).as("gone again").isEmpty();
        }
        inventoryServiceMayNotWriteUserCommands();
    }

    @Test
    void aClientWithoutCredentialsOrWithAWrongPasswordIsRefused() {
        Map<String, Object> anonymous = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000));
        try (KafkaProducer<String, String> nobody = new KafkaProducer<>(anonymous, new StringSerializer(), new StringSerializer())) {
            assertThatExceptionOfType(Exception.class).as("no credentials")
                .isThrownBy(() -> nobody.send(new ProducerRecord<>("user-commands", "order-1", "{}")).get(30, TimeUnit.SECONDS));
        }
        try (KafkaProducer<String, String> guesser = producer(KafkaLogin.service("order-service", "guessed"))) {
            assertThatExceptionOfType(Exception.class).as("a wrong password")
                .isThrownBy(() -> guesser.send(new ProducerRecord<>("inventory-commands", "order-1", "{}")).get(30, TimeUnit.SECONDS))
                .satisfies(e -> assertThat(e).hasRootCauseInstanceOf(SaslAuthenticationException.class));
        }
    }

    @Test
    void theAclLinesForComposeAndK8sNameEveryPrincipal() {
        assertThat(KafkaAccess.commands()).contains(
                "--add --allow-principal User:inventory-service --operation Write --operation Describe --topic order-saga-replies",
                "--add --allow-principal User:order-service --operation Read --group order-service")
            .noneMatch(line -> line.contains("User:inventory-service") && line.contains("user-commands"));
    }

    private static KafkaProducer<String, String> producer(KafkaLogin login) {
        return new KafkaProducer<>(withLogin(login, Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000, ProducerConfig.ACKS_CONFIG, "all")),
                new StringSerializer(), new StringSerializer());
    }

    private static Map<String, Object> withLogin(KafkaLogin login, Map<String, Object> more) {
        Map<String, Object> properties = new HashMap<>(login.clientProperties());
        properties.put("bootstrap.servers", bootstrap);
        properties.putAll(more);
        return properties;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
