package dev.emporium.deployment;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.emporium.deployment.Overlay.Workload;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sizes that agree: every JVM's memory fits its container's limit by the one rule
 * ({@link JvmMemory}), Kafka has an explicit heap and a readiness check that starts no JVM, the dev
 * overlay fits the cluster that docs/kubernetes.md asks for, and docker-compose.yml runs the same
 * sizes and variables as the manifests.
 */
class DeploymentSizesTest {

    /**
     * What the control plane, CoreDNS, kube-proxy and the ingress addon of a minikube or kind node
     * request before anything of ours is scheduled (about 0.85 CPU and 0.35 GiB on minikube), rounded up.
     */
    static final BigDecimal SYSTEM_CPU = new BigDecimal("1.0");
    static final long SYSTEM_MIB = 1024;

    /**
     * Variables set in only one of compose and the dev overlay, and why. Anything else set in one
     * must be set in the other.
     */
    static final Map<String, String> DELIBERATELY_DIFFERENT = Map.of(
            "EUREKA_INSTANCE_HOSTNAME", "compose: containers find each other by service name; pods register their IP instead",
            "EUREKA_INSTANCE_PREFER_IP_ADDRESS", "k8s: pods register their IP (a pod's host name resolves nowhere)",
            "USERS_DB_URL", "k8s: the shared ConfigMap holds every database's address; each Deployment maps its own to DB_URL",
            "INVENTORY_DB_URL", "k8s: as USERS_DB_URL",
            "ORDERS_DB_URL", "k8s: as USERS_DB_URL",
            "EMPORIUM_TRUSTED_PROXIES", "k8s: the Ingress stands in front of the gateway; in compose nothing does",
            "EMPORIUM_ADMIN_EMAIL", "k8s: in the shared ConfigMap, so every pod has it; only user-service reads it, compose gives it to that one",
            "gateway/KAFKA_BOOTSTRAP_SERVERS", "k8s: in the shared ConfigMap; the gateway does not use Kafka",
            "discovery/POD_NAME", "k8s: each registry peer's stable DNS name is made from its pod's name");

    final Overlay dev = Overlay.of("dev");
    final Map<String, Map<String, Object>> compose = DockerComposeTest.services();

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyJvmFitsItsContainersLimitByTheRule(String name) {
        for (Workload workload : Overlay.of(name).platform()) {
            V1Container container = workload.template().getSpec().getContainers().getFirst();
            JvmMemory jvm = JvmMemory.parse(env(container).get("JAVA_TOOL_OPTIONS"));
            long limit = mebibytes(container.getResources().getLimits().get("memory"));
            long request = mebibytes(container.getResources().getRequests().get("memory"));
            assertThat(jvm.needsMiB()).as(workload.name() + ": heap + metaspace + code cache + direct + " + JvmMemory.OTHER_MIB
                    + " MiB against its limit of " + limit + " MiB").isLessThanOrEqualTo(limit);
            assertThat(request).as(workload.name() + ": the request at most the limit, and at least the heap and metaspace")
                .isLessThanOrEqualTo(limit).isGreaterThanOrEqualTo(jvm.heapMiB() + jvm.metaspaceMiB());
        }
    }

    @Test
    void kafkaHasAnExplicitHeapAndAReadinessCheckThatStartsNoJvm() {
        Workload kafka = dev.workloads().stream().filter(w -> w.name().equals("kafka")).findFirst().orElseThrow();
        V1Container broker = kafka.template().getSpec().getContainers().getFirst();
        long heap = JvmMemory.heap(env(broker).get("KAFKA_HEAP_OPTS"));
        assertThat(heap).as("Kafka's heap: at most half its limit, the rest is the page cache's and the JVM's own")
            .isLessThanOrEqualTo(mebibytes(broker.getResources().getLimits().get("memory")) / 2);
        assertThat(List.of(broker.getReadinessProbe(), broker.getLivenessProbe(), broker.getStartupProbe()))
            .as("no probe runs a command (Kafka's tools start a JVM in the broker's memory)").allSatisfy(probe ->
                    assertThat(probe.getExec()).isNull());
        V1Job access = dev.all(V1Job.class).stream().filter(job -> job.getMetadata().getName().equals("kafka-access")).findFirst().orElseThrow();
        V1Container tools = access.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(JvmMemory.heap(env(tools).get("KAFKA_HEAP_OPTS")) + 256).as("the command-line tools' heap and 256 MiB beside it")
            .isLessThanOrEqualTo(mebibytes(tools.getResources().getLimits().get("memory")));
    }

    /** The quickstart's {@code minikube start --cpus=N --memory=Mg} leaves room for everything the dev overlay requests and limits. */
    @Test
    void theDevOverlayFitsTheClusterTheQuickstartAsksFor() throws IOException {
        Matcher minikube = Pattern.compile("minikube start --cpus=(\\d+) --memory=(\\d+)g")
            .matcher(Files.readString(Overlay.ROOT.resolve("docs/kubernetes.md")));
        assertThat(minikube.find()).as("docs/kubernetes.md names the cluster it needs").isTrue();
        BigDecimal cpus = new BigDecimal(minikube.group(1)).subtract(SYSTEM_CPU);
        long memory = Long.parseLong(minikube.group(2)) * 1024 - SYSTEM_MIB;
        BigDecimal requestedCpu = BigDecimal.ZERO;
        long requestedMemory = 0;
        long limitedMemory = 0;
        List<V1Container> containers = new ArrayList<>();
        dev.workloads().forEach(workload -> containers.addAll(workload.containers()));
        dev.all(V1Job.class).forEach(job -> containers.addAll(job.getSpec().getTemplate().getSpec().getContainers()));
        for (V1Container container : containers) {
            requestedCpu = requestedCpu.add(container.getResources().getRequests().get("cpu").getNumber());
            requestedMemory += mebibytes(container.getResources().getRequests().get("memory"));
            limitedMemory += mebibytes(container.getResources().getLimits().get("memory"));
        }
        assertThat(requestedCpu).as("CPU requested, against the " + cpus + " left of the quickstart's cluster").isLessThanOrEqualTo(cpus);
        assertThat(requestedMemory).as("memory requested (MiB)").isLessThanOrEqualTo(memory);
        assertThat(limitedMemory).as("memory limits (MiB): nothing is overcommitted").isLessThanOrEqualTo(memory);
    }

    @Test
    void composeRunsTheSameSizesAsTheManifests() {
        for (String name : DockerComposeTest.PLATFORM) {
            V1Container container = container(name);
            Map<String, Object> service = compose.get(name);
            assertThat(JvmMemory.mebibytes(String.valueOf(service.get("mem_limit")))).as(name + "'s memory limit in compose")
                .isEqualTo(mebibytes(container.getResources().getLimits().get("memory")));
            assertThat(environment(service).get("JAVA_TOOL_OPTIONS")).as(name + "'s JVM options in compose")
                .isEqualTo(env(container).get("JAVA_TOOL_OPTIONS"));
        }
        for (String name : List.of("kafka", "postgres", "jaeger")) {
            V1Container container = dev.workloads().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow()
                .template().getSpec().getContainers().getFirst();
            assertThat(JvmMemory.mebibytes(String.valueOf(compose.get(name).get("mem_limit")))).as(name + "'s memory limit in compose")
                .isEqualTo(mebibytes(container.getResources().getLimits().get("memory")));
        }
        assertThat(environment(compose.get("kafka")).get("KAFKA_HEAP_OPTS")).isEqualTo(env(container("kafka")).get("KAFKA_HEAP_OPTS"));
    }

    @Test
    void composeAndTheDevOverlayCarryTheSameVariables() {
        List<String> differences = new ArrayList<>();
        for (String name : DockerComposeTest.PLATFORM) {
            Set<String> inCompose = new TreeSet<>(environment(compose.get(name)).keySet());
            Set<String> inKubernetes = new TreeSet<>(variables(name));
            for (String variable : inCompose) {
                if (!inKubernetes.contains(variable) && !deliberate(name, variable)) {
                    differences.add(name + ": " + variable + " is set in compose, not in k8s");
                }
            }
            for (String variable : inKubernetes) {
                if (!inCompose.contains(variable) && !deliberate(name, variable)) {
                    differences.add(name + ": " + variable + " is set in k8s, not in compose");
                }
            }
        }
        assertThat(differences).isEmpty();
    }

    private static boolean deliberate(String service, String variable) {
        return DELIBERATELY_DIFFERENT.containsKey(variable) || DELIBERATELY_DIFFERENT.containsKey(service + "/" + variable);
    }

    /** Every variable a platform pod of the dev overlay gets: its own and the shared ConfigMap's. */
    private Set<String> variables(String name) {
        V1Container container = container(name);
        Set<String> names = new TreeSet<>();
        Optional.ofNullable(container.getEnv()).orElse(List.of()).forEach(variable -> names.add(variable.getName()));
        Optional.ofNullable(container.getEnvFrom()).orElse(List.of()).forEach(from -> dev.all(V1ConfigMap.class).stream()
            .filter(map -> from.getConfigMapRef() != null && map.getMetadata().getName().equals(from.getConfigMapRef().getName()))
            .forEach(map -> names.addAll(map.getData().keySet())));
        return names;
    }

    private V1Container container(String workload) {
        return dev.workloads().stream().filter(w -> w.name().equals(workload)).findFirst().orElseThrow()
            .template().getSpec().getContainers().getFirst();
    }


    private static long mebibytes(Quantity quantity) {
        return quantity.getNumber().divide(BigDecimal.valueOf(1024L * 1024)).longValueExact();
    }

    private static Map<String, String> env(V1Container container) {
        Map<String, String> env = new HashMap<>();
        Optional.ofNullable(container.getEnv()).orElse(List.of()).stream().filter(variable -> variable.getValue() != null)
            .forEach((V1EnvVar variable) -> env.put(variable.getName(), variable.getValue()));
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> environment = new HashMap<>();
        ((Map<String, Object>) service.getOrDefault("environment", Map.of())).forEach((key, value) -> environment.put(key, String.valueOf(value)));
        return environment;
    }

}
