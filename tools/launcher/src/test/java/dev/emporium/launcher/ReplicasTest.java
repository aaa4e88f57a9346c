package dev.emporium.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@code ./emporium up --replicas=2}: which processes start, on which ports, told what. */
class ReplicasTest {

    @TempDir
    Path home;

    @Test
    void twoReplicasAreTwoRegistriesAndTwoInstancesOfEachServiceBehindOneGateway() {
        List<Instance> instances = Platform.everyInstance(2).toList();

        assertThat(instances).extracting(Instance::name).containsExactly("discovery", "discovery-2", "user-service", "user-service-2",
                "inventory-service", "inventory-service-2", "order-service", "order-service-2", "gateway");
        assertThat(instances).extracting(Instance::port).doesNotHaveDuplicates()
            .doesNotContain(Platform.KAFKA_PORT, Platform.KAFKA_CONTROLLER_PORT, Platform.POSTGRES_PORT, Platform.TRACE_COLLECTOR_PORT);
        List<Integer> every = instances.stream().flatMap(instance -> java.util.stream.Stream.of(instance.port(), instance.managementPort()))
            .toList();
        assertThat(every).doesNotHaveDuplicates().doesNotContain(Platform.KAFKA_PORT, Platform.KAFKA_CONTROLLER_PORT);
        assertThat(new Instance(Platform.service("user-service"), 2)).returns(8101, Instance::port).returns(9101, Instance::managementPort);
        assertThat(Platform.everyInstance(1).map(Instance::name)).containsExactly("discovery", "user-service", "inventory-service",
                "order-service", "gateway");
    }

    @Test
    void theRegistriesArePeersAndEveryProcessKnowsBoth() {
        Settings settings = settings(2);

        Map<String, String> second = environment(settings, new Instance(Platform.DISCOVERY, 2));
        Map<String, String> first = environment(settings, new Instance(Platform.DISCOVERY, 1));
        Map<String, String> orders = environment(settings, new Instance(Platform.service("order-service"), 2));

        String password = LocalSecret.registryPassword(settings).value();
        String one = "http://emporium:" + password + "@localhost:8761/eureka/";
        String two = "http://emporium:" + password + "@localhost:8781/eureka/";
        assertThat(second).containsEntry("EUREKA_REPLICATED", "true").containsEntry("EUREKA_PEERS", one + "," + two)
            .containsEntry("EUREKA_SERVER_MYURL", two).containsEntry("SERVER_PORT", "8781");
        assertThat(first).containsEntry("EUREKA_SERVER_MYURL", one).containsEntry("SERVER_PORT", "8761");
        assertThat(orders).containsEntry("EUREKA_URL", one + "," + two).containsEntry("SERVER_PORT", "8103")
            .containsEntry("MANAGEMENT_PORT", "9103");
    }

    @Test
    void aReplicaIsTheSameServiceToTheDatabaseAndToKafka() {
        Settings settings = settings(2);

        Map<String, String> first = environment(settings, new Instance(Platform.service("inventory-service"), 1));
        Map<String, String> second = environment(settings, new Instance(Platform.service("inventory-service"), 2));

        for (String same : List.of("DB_URL", "DB_USERNAME", "DB_PASSWORD", "KAFKA_USERNAME", "KAFKA_PASSWORD", "KAFKA_BOOTSTRAP_SERVERS")) {
            assertThat(second.get(same)).as(same).isNotNull().isEqualTo(first.get(same));
        }
        assertThat(second.get("SERVER_PORT")).isNotEqualTo(first.get("SERVER_PORT"));
    }

    @Test
    void oneRegistryIsNoPeer() {
        Map<String, String> discovery = environment(settings(1), new Instance(Platform.DISCOVERY, 1));

        assertThat(discovery).doesNotContainKeys("EUREKA_REPLICATED", "EUREKA_PEERS", "EUREKA_SERVER_MYURL");
    }

    @Test
    void countsTheInstancesARegistryLists() {
        String apps = "{\"applications\":{\"application\":[{\"name\":\"ORDER-SERVICE\",\"instance\":[{\"app\":\"ORDER-SERVICE\"},"
                + "{\"app\" : \"ORDER-SERVICE\"}]},{\"name\":\"USER-SERVICE\",\"instance\":[{\"app\":\"USER-SERVICE\"}]}]}}";

        assertThat(Platform.instancesIn(apps, Platform.service("order-service"))).isEqualTo(2);
        assertThat(Platform.instancesIn(apps, Platform.service("user-service"))).isEqualTo(1);
        assertThat(Platform.instancesIn(apps, Platform.service("inventory-service"))).isZero();
    }

    @Test
    void refusesMoreReplicasThanOneMachineRuns() {
        assertThat(Settings.from(Map.of()).replicas()).isEqualTo(1);
        assertThatIllegalArgumentException().isThrownBy(() -> Settings.from(Map.of("EMPORIUM_REPLICAS", "4")))
            .withMessageContaining("EMPORIUM_REPLICAS (--replicas) must be 1 to 3");
        assertThatIllegalArgumentException().isThrownBy(() -> Settings.from(Map.of("EMPORIUM_REPLICAS", "two")))
            .withMessageContaining("whole number");
    }

    private Settings settings(int replicas) {
        return Settings.from(Map.of("EMPORIUM_ROOT", "/srv/emporium", "EMPORIUM_HOME", home.toString(), "EMPORIUM_REPLICAS",
                Integer.toString(replicas), "EMPORIUM_ADMIN_PASSWORD", "correct horse battery"));
    }

    private static Map<String, String> environment(Settings settings, Instance instance) {
        return new ServiceEnvironment(settings, new PlatformKafka(settings), "http://localhost:4318/v1/traces", "", Map.of())
            .of(instance, AdminPassword.of(settings), LocalPostgres.external(new Settings.ExternalDatabase("localhost", 5432, "postgres", "")));
    }
}
