package dev.emporium.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@code ./emporium up --kafka-brokers=3}: which brokers start, on which ports, and what the services are told. */
class KafkaBrokersTest {

    @TempDir
    Path home;

    @Test
    void threeBrokersAreOneQuorumOnPortsOfTheirOwn() {
        PlatformKafka kafka = new PlatformKafka(settings(3, 2));

        List<PlatformKafka.Broker> brokers = kafka.brokers();

        assertThat(brokers).extracting(PlatformKafka.Broker::name).containsExactly("kafka", "kafka-2", "kafka-3");
        assertThat(brokers).extracting(PlatformKafka.Broker::port).containsExactly(9092, 9112, 9132);
        assertThat(brokers).extracting(PlatformKafka.Broker::controllerPort).containsExactly(9093, 9113, 9133);
        assertThat(kafka.bootstrap()).isEqualTo("localhost:9092,localhost:9112,localhost:9132");
        List<Integer> servicePorts = Platform.everyInstance(Settings.MAX_REPLICAS)
            .flatMap(instance -> java.util.stream.Stream.of(instance.port(), instance.managementPort())).toList();
        assertThat(brokers).allSatisfy(broker -> assertThat(servicePorts).doesNotContain(broker.port(), broker.controllerPort()));
        assertThat(brokers).extracting(PlatformKafka.Broker::data).doesNotContain(home.resolve("kafka")).doesNotHaveDuplicates();

        List<List<String>> commands = brokers.stream().map(broker -> kafka.command(broker, "java", "launcher.jar")).toList();
        String quorum = "--quorum=1@localhost:9093,2@localhost:9113,3@localhost:9133";
        assertThat(commands).allSatisfy(command -> assertThat(command).contains(quorum));
        assertThat(commands.get(1)).contains("--node=2", "9112", "9113", "-Demporium.process=kafka-2");
        assertThat(commands).extracting(command -> command.stream().filter(word -> word.startsWith("--cluster-id=")).findFirst().orElseThrow())
            .as("one cluster id for every node").containsOnly(commands.getFirst().stream().filter(word -> word.startsWith("--cluster-id="))
                .findFirst().orElseThrow());
    }

    @Test
    void withThreeBrokersTheServicesReplicateTheirTopicsThreeTimesTwoInSync() {
        Map<String, String> three = environment(settings(3, 1));
        Map<String, String> one = environment(settings(1, 1));

        assertThat(three).containsEntry("EMPORIUM_KAFKA_REPLICATION_FACTOR", "3").containsEntry("EMPORIUM_KAFKA_MIN_INSYNC_REPLICAS", "2")
            .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092,localhost:9112,localhost:9132");
        assertThat(one).doesNotContainKeys("EMPORIUM_KAFKA_REPLICATION_FACTOR", "EMPORIUM_KAFKA_MIN_INSYNC_REPLICAS")
            .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
    }

    @Test
    void oneBrokerKeepsItsOwnFolderAndTakesNoQuorumOptions() {
        PlatformKafka kafka = new PlatformKafka(settings(1, 1));

        assertThat(kafka.brokers()).singleElement().returns(home.resolve("kafka"), PlatformKafka.Broker::data);
        assertThat(kafka.command(kafka.brokers().getFirst(), "java", "launcher.jar")).noneMatch(word -> word.startsWith("--"));
    }

    @Test
    void yourOwnKafkaMeansNoEmbeddedBroker() {
        Settings settings = Settings.from(Map.of("EMPORIUM_HOME", home.toString(), "EMPORIUM_KAFKA_BOOTSTRAP_SERVERS", "kafka.example:9092",
                "EMPORIUM_KAFKA_BROKERS", "3"));

        assertThat(new PlatformKafka(settings).brokers()).isEmpty();
        assertThat(new PlatformKafka(settings).bootstrap()).isEqualTo("kafka.example:9092");
    }

    @Test
    void refusesAQuorumThatCannotLoseABroker() {
        assertThat(Settings.from(Map.of()).kafkaBrokers()).isEqualTo(1);
        assertThatIllegalArgumentException().isThrownBy(() -> Settings.from(Map.of("EMPORIUM_KAFKA_BROKERS", "2")))
            .withMessageContaining("EMPORIUM_KAFKA_BROKERS (--kafka-brokers) must be 1 or 3");
        assertThatIllegalArgumentException().isThrownBy(() -> settings(1, 1).withLayout(2, 2))
            .withMessageContaining("must be 1 or 3");
        assertThat(settings(1, 1).withLayout(2, 3)).returns(2, Settings::replicas).returns(3, Settings::kafkaBrokers);
    }

    @Test
    void theRunnersPlatformsIgnoreTheDevelopersLayout() {
        Settings own = Settings.ownPlatform(Map.of("EMPORIUM_ROOT", home.toString(), "EMPORIUM_REPLICAS", "2", "EMPORIUM_KAFKA_BROKERS", "3"),
                "EMPORIUM_TEST_HOME", "runner", 2000);

        assertThat(own).returns(1, Settings::replicas).returns(1, Settings::kafkaBrokers);
    }

    private Settings settings(int brokers, int replicas) {
        return Settings.from(Map.of("EMPORIUM_ROOT", "/srv/emporium", "EMPORIUM_HOME", home.toString(), "EMPORIUM_KAFKA_BROKERS",
                Integer.toString(brokers), "EMPORIUM_REPLICAS", Integer.toString(replicas), "EMPORIUM_ADMIN_PASSWORD", "correct horse battery"));
    }

    private static Map<String, String> environment(Settings settings) {
        return new ServiceEnvironment(settings, new PlatformKafka(settings), "http://localhost:4318/v1/traces", "", Map.of())
            .of(new Instance(Platform.service("order-service"), 1), AdminPassword.of(settings),
                    LocalPostgres.external(new Settings.ExternalDatabase("localhost", 5432, "postgres", "")));
    }
}
