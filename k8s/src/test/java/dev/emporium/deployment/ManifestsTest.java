package dev.emporium.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyIngressRule;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.util.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.emporium.deployment.Overlay.Workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The policies every manifest follows, checked on what {@code kubectl apply -k} would send: each
 * overlay rendered and parsed strictly. A container without probes or limits, a root container, a
 * selector that selects nothing, an env var naming a missing key: each fails here, not in a cluster.
 */
class ManifestsTest {

    /** Containers allowed a writable root filesystem, and why. */
    static final Map<String, String> WRITABLE_ROOT = Map.of(
            "kafka", "the apache/kafka image's start script writes its configuration under /opt/kafka/config");

    static final Set<Integer> MANAGEMENT_PORTS = Set.of(9080, 9081, 9082, 9083, 9761);

    @Test
    void theParserRefusesUnknownFieldsAndWrongTypes() {
        assertThatThrownBy(() -> Yaml.loadAll("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: typo
                spec:
                  selectr:
                    app: x
                """)).hasMessageContaining("selectr");
        assertThatThrownBy(() -> Yaml.loadAll("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: wrong-type
                spec:
                  replicas: two
                """)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyContainerHasProbesLimitsAndRunsUnprivileged(String overlay) {
        List<String> problems = new ArrayList<>();
        for (Workload workload : Overlay.of(overlay).workloads()) {
            var pod = workload.template().getSpec();
            boolean podNonRoot = pod.getSecurityContext() != null && Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot());
            for (V1Container container : workload.containers()) {
                String where = workload.kind() + " " + workload.name() + " / " + container.getName();
                probe(where, "readiness", container.getReadinessProbe(), container, problems);
                probe(where, "liveness", container.getLivenessProbe(), container, problems);
                probe(where, "startup", container.getStartupProbe(), container, problems);
                var resources = container.getResources();
                for (String kind : List.of("cpu", "memory")) {
                    if (resources == null || resources.getRequests() == null || !resources.getRequests().containsKey(kind)) {
                        problems.add(where + ": no " + kind + " request");
                    }
                    if (resources == null || resources.getLimits() == null || !resources.getLimits().containsKey(kind)) {
                        problems.add(where + ": no " + kind + " limit");
                    }
                }
                var security = container.getSecurityContext();
                boolean nonRoot = podNonRoot || (security != null && Boolean.TRUE.equals(security.getRunAsNonRoot()));
                if (!nonRoot) {
                    problems.add(where + ": may run as root (runAsNonRoot is not true)");
                }
                if (security == null || !Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
                    problems.add(where + ": allowPrivilegeEscalation is not false");
                }
                if ((security == null || !Boolean.TRUE.equals(security.getReadOnlyRootFilesystem()))
                        && !WRITABLE_ROOT.containsKey(container.getName())) {
                    problems.add(where + ": root filesystem is writable");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void selectorsMatchTheirPodsAndEveryWorkloadHasAServiceAndItsAccount(String name) {
        Overlay overlay = Overlay.of(name);
        List<Workload> workloads = overlay.workloads();
        assertThat(workloads).isNotEmpty().allSatisfy(workload -> {
            assertThat(workload.podLabels()).as(workload.name() + ": the selector matches the pod template")
                .containsAllEntriesOf(workload.selector());
            assertThat(overlay.all(V1Service.class)).as(workload.name() + ": a Service selects its pods")
                .anyMatch(service -> selects(service, workload));
            String account = workload.template().getSpec().getServiceAccountName();
            assertThat(account).as(workload.name() + ": a service account of its own").isEqualTo(workload.name());
            assertThat(overlay.find(V1ServiceAccount.class, account)).as("ServiceAccount " + account).isPresent();
        });
        assertThat(overlay.all(V1Service.class)).allSatisfy(service -> assertThat(workloads)
            .as("Service " + service.getMetadata().getName() + " selects a workload").anyMatch(workload -> selects(service, workload)));
        assertThat(overlay.all(V1StatefulSet.class)).allSatisfy(set -> assertThat(overlay.find(V1Service.class,
                set.getSpec().getServiceName())).as(set.getMetadata().getName() + "'s governing Service").isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyReferencedConfigMapAndSecretKeyExists(String name) {
        Overlay overlay = Overlay.of(name);
        Map<String, Set<String>> configMaps = new HashMap<>();
        overlay.all(V1ConfigMap.class).forEach(map -> configMaps.put(map.getMetadata().getName(), map.getData().keySet()));
        Map<String, Set<String>> secrets = new HashMap<>();
        overlay.all(V1Secret.class).forEach(secret -> secrets.put(secret.getMetadata().getName(), keys(secret)));

        List<String> missing = new ArrayList<>();
        for (Workload workload : overlay.workloads()) {
            for (V1Container container : workload.containers()) {
                for (V1EnvVar env : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
                    if (env.getValueFrom() == null) {
                        continue;
                    }
                    var configKey = env.getValueFrom().getConfigMapKeyRef();
                    if (configKey != null && !configMaps.getOrDefault(configKey.getName(), Set.of()).contains(configKey.getKey())) {
                        missing.add(workload.name() + " " + env.getName() + " -> ConfigMap " + configKey.getName() + "/" + configKey.getKey());
                    }
                    var secretKey = env.getValueFrom().getSecretKeyRef();
                    if (secretKey != null && !secrets.getOrDefault(secretKey.getName(), Set.of()).contains(secretKey.getKey())) {
                        missing.add(workload.name() + " " + env.getName() + " -> Secret " + secretKey.getName() + "/" + secretKey.getKey());
                    }
                }
                Optional.ofNullable(container.getEnvFrom()).orElse(List.of()).stream()
                    .filter(from -> from.getConfigMapRef() != null && !configMaps.containsKey(from.getConfigMapRef().getName()))
                    .forEach(from -> missing.add(workload.name() + " envFrom -> ConfigMap " + from.getConfigMapRef().getName()));
            }
            Optional.ofNullable(workload.template().getSpec().getVolumes()).orElse(List.of()).stream()
                .filter(volume -> volume.getConfigMap() != null && !configMaps.containsKey(volume.getConfigMap().getName()))
                .forEach(volume -> missing.add(workload.name() + " volume -> ConfigMap " + volume.getConfigMap().getName()));
        }
        assertThat(missing).isEmpty();
    }

    /**
     * Every image an overlay names is one that {@code ./emporium images} produces: dev's are its
     * defaults (loaded into kind or minikube), prod's those it pushes with the overlay's registry and tag.
     */
    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyImageTheManifestsNameIsProducedByTheImagesCommand(String name) {
        List<Workload> platform = Overlay.of(name).platform();
        assertThat(platform).extracting(Workload::name)
            .containsExactlyInAnyOrder("discovery", "gateway", "user-service", "inventory-service", "order-service");
        List<String> images = platform.stream().map(workload -> workload.template().getSpec().getContainers().getFirst().getImage()).toList();
        assertThat(images).allSatisfy(image -> assertThat(image).as("a registry and a tag, never :latest").matches("[^/]+/.+:[^:/]+")
            .doesNotEndWith(":latest"));
        String first = images.getFirst();
        String registry = first.substring(0, first.lastIndexOf('/'));
        String tag = first.substring(first.lastIndexOf(':') + 1);
        List<String> options = name.equals("dev") ? List.of() : List.of("--registry=" + registry, "--tag=" + tag);
        assertThat(images).as("what `./emporium images " + String.join(" ", options) + "` builds")
            .containsExactlyInAnyOrderElementsOf(ImagesCommand.references(options));
        if (name.equals("dev")) {
            assertThat(ImagesCommand.references(List.of())).as("the command's default names")
                .allMatch(reference -> reference.startsWith("localhost/emporium/") && reference.endsWith(":dev"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void onlyTheGatewayIsReachableFromOutsideAndEverythingElseIsDeniedByDefault(String name) {
        Overlay overlay = Overlay.of(name);
        List<V1NetworkPolicy> policies = overlay.all(V1NetworkPolicy.class);
        assertThat(policies).as("a default deny of all traffic").anySatisfy(policy -> {
            assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
            assertThat(policy.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
            assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress", "Egress");
            assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
            assertThat(policy.getSpec().getEgress()).isNullOrEmpty();
        });
        for (V1NetworkPolicy policy : policies) {
            for (V1NetworkPolicyIngressRule rule : Optional.ofNullable(policy.getSpec().getIngress()).orElse(List.of())) {
                boolean fromOtherNamespaces = rule.getFrom() == null
                        || rule.getFrom().stream().anyMatch(peer -> peer.getNamespaceSelector() != null || peer.getIpBlock() != null);
                if (!fromOtherNamespaces) {
                    continue;
                }
                boolean toGateway = "gateway".equals(Optional.ofNullable(policy.getSpec().getPodSelector().getMatchLabels())
                    .map(labels -> labels.get("app.kubernetes.io/name")).orElse(null));
                boolean managementOnly = rule.getPorts() != null && !rule.getPorts().isEmpty() && rule.getPorts().stream()
                    .allMatch(port -> port.getPort() != null && MANAGEMENT_PORTS.contains(port.getPort().getIntValue()));
                assertThat(toGateway || managementOnly)
                    .as("NetworkPolicy " + policy.getMetadata().getName() + " admits traffic from outside the namespace to "
                            + "something other than the gateway (or the management ports, for Prometheus)")
                    .isTrue();
            }
        }
        assertThat(overlay.all(V1Ingress.class)).singleElement().satisfies(ingress -> assertThat(ingress.getSpec().getRules())
            .flatExtracting(rule -> rule.getHttp().getPaths())
            .allSatisfy(path -> assertThat(path.getBackend().getService().getName()).isEqualTo("gateway")));
        assertThat(overlay.all(V1Service.class)).allSatisfy(service -> assertThat(service.getSpec().getType())
            .as(service.getMetadata().getName() + " stays inside the cluster").isIn(null, "ClusterIP"));
    }

    @Test
    void prodRunsTwoOfEverythingStatelessWithAutoscalingBudgetsAndReplicatedEureka() {
        Overlay prod = Overlay.of("prod");
        List<Workload> deployments = prod.platform().stream().filter(workload -> workload.kind().equals("Deployment")).toList();
        assertThat(deployments).hasSize(4).allSatisfy(workload -> {
            assertThat(workload.fixedReplicas()).as(workload.name() + ": no fixed replicas (an apply would reset the autoscaler's)")
                .isNull();
            assertThat(prod.all(V2HorizontalPodAutoscaler.class)).as(workload.name() + " autoscales from 2")
                .anySatisfy(hpa -> {
                    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(workload.name());
                    assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
                });
        });
        assertThat(prod.platform()).allSatisfy(workload -> assertThat(prod.all(V1PodDisruptionBudget.class))
            .as(workload.name() + " has a disruption budget")
            .anyMatch(budget -> workload.podLabels().entrySet().containsAll(budget.getSpec().getSelector().getMatchLabels().entrySet())));
        Workload discovery = prod.platform().stream().filter(w -> w.name().equals("discovery")).findFirst().orElseThrow();
        assertThat(discovery.replicas()).isEqualTo(2);
        Map<String, String> env = env(discovery.template().getSpec().getContainers().getFirst());
        assertThat(env).containsEntry("EUREKA_REPLICATED", "true");
        for (int replica = 0; replica < discovery.replicas(); replica++) {
            assertThat(env.get("EUREKA_PEERS")).contains("discovery-" + replica + ".discovery:8761");
        }
        V1ConfigMap config = prod.generated(V1ConfigMap.class, "emporium-config").orElseThrow();
        assertThat(config.getData().get("USERS_DB_URL")).as("PostgreSQL outside the cluster").doesNotContain("//postgres:");
        assertThat(config.getData().get("KAFKA_BOOTSTRAP_SERVERS")).as("Kafka outside the cluster").doesNotStartWith("kafka:");
        assertThat(config.getData().get("KAFKA_BOOTSTRAP_SERVERS").split(",")).as("three brokers").hasSizeGreaterThanOrEqualTo(3);
        assertThat(config.getData()).as("topics on three brokers, a write counts once two have it (TopicReplication)")
            .containsEntry("EMPORIUM_KAFKA_REPLICATION_FACTOR", "3").containsEntry("EMPORIUM_KAFKA_MIN_INSYNC_REPLICAS", "2");
        assertThat(prod.all(V1StatefulSet.class)).extracting(set -> set.getMetadata().getName()).containsExactly("discovery");
    }

    /** A disruption budget keeps one replica through a drain; only a spread over nodes keeps one through the loss of a node. */
    @Test
    void everyWorkloadWithADisruptionBudgetIsSpreadOverNodes() {
        Overlay prod = Overlay.of("prod");
        for (V1PodDisruptionBudget budget : prod.all(V1PodDisruptionBudget.class)) {
            Map<String, String> selected = budget.getSpec().getSelector().getMatchLabels();
            Workload workload = prod.workloads().stream().filter(w -> w.podLabels().entrySet().containsAll(selected.entrySet()))
                .findFirst().orElseThrow(() -> new AssertionError("PDB " + budget.getMetadata().getName() + " selects no workload"));
            assertThat(workload.template().getSpec().getTopologySpreadConstraints()).as(workload.name() + " is spread over nodes")
                .anySatisfy(spread -> {
                    assertThat(spread.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                    assertThat(spread.getWhenUnsatisfiable()).isEqualTo("DoNotSchedule");
                    assertThat(spread.getMaxSkew()).isEqualTo(1);
                    assertThat(spread.getLabelSelector().getMatchLabels()).as("counts its own pods").isEqualTo(selected);
                });
        }
        assertThat(prod.all(V1PodDisruptionBudget.class)).hasSizeGreaterThanOrEqualTo(prod.platform().size());
    }

    /**
     * The ConfigMap and the Secrets are kustomize-generated, their names hashed from their content,
     * so that a changed setting or password rolls the pods that read it; the committed prod secrets
     * are empty, so nothing real is ever committed.
     */
    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void configAndSecretsAreGeneratedWithAHashInTheirName(String name) throws IOException {
        Overlay overlay = Overlay.of(name);
        assertThat(overlay.generated(V1ConfigMap.class, "emporium-config")).as("emporium-config, hashed").isPresent();
        if (name.equals("prod")) {
            for (String secret : List.of("emporium-database", "emporium-identity", "emporium-kafka", "emporium-registry")) {
                assertThat(overlay.generated(V1Secret.class, secret)).as(secret + ", hashed").isPresent();
            }
            assertThat(overlay.all(V1Secret.class)).allSatisfy(secret -> assertThat(secret.getMetadata().getName()).matches(".*-[a-z0-9]{10}"));
            try (var files = Files.list(Overlay.K8S.resolve("overlays/prod/secrets"))) {
                for (var file : files.filter(path -> !path.getFileName().toString().equals("README.md")).toList()) {
                    List<String> values = Files.readAllLines(file).stream().filter(line -> !line.isBlank() && !line.startsWith("#"))
                        .filter(line -> !line.startsWith("username="))
                        .map(line -> line.contains("=") ? line.substring(line.indexOf('=') + 1) : line).toList();
                    assertThat(values).as(file.getFileName() + ": committed empty (the operator fills it in)").allMatch(String::isEmpty);
                }
            }
        }
    }

    @Test
    void prodEndsTlsAtTheIngressWithTheDocumentedSecret() throws IOException {
        V1Ingress ingress = Overlay.of("prod").all(V1Ingress.class).getFirst();
        assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls -> {
            assertThat(tls.getSecretName()).isEqualTo("emporium-tls");
            assertThat(tls.getHosts()).containsExactly(ingress.getSpec().getRules().getFirst().getHost());
        });
        assertThat(Files.readString(Overlay.ROOT.resolve("docs/kubernetes.md"))).as("the quickstart says how to make it")
            .contains("kubectl -n emporium create secret tls emporium-tls");
    }

    @Test
    void devRunsOneOfEachWithPostgresKafkaAndJaegerInTheCluster() {
        Overlay dev = Overlay.of("dev");
        assertThat(dev.workloads()).allSatisfy(workload -> assertThat(workload.replicas()).as(workload.name()).isEqualTo(1));
        for (String stateful : List.of("postgres", "kafka")) {
            assertThat(dev.find(V1StatefulSet.class, stateful)).as(stateful).hasValueSatisfying(set ->
                    assertThat(set.getSpec().getVolumeClaimTemplates()).as(stateful + " keeps its data on a volume").isNotEmpty());
        }
        assertThat(dev.workloads()).extracting(Workload::name).contains("jaeger");
        assertThat(dev.find(V1Service.class, "jaeger").orElseThrow().getSpec().getPorts())
            .extracting(port -> port.getPort()).contains(4317, 4318, 16686);
    }

    /** Behind the Ingress every client would be one address: the gateway is told whose X-Forwarded-For to believe. */
    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void theGatewayKnowsItSitsBehindTheIngress(String name) {
        Overlay overlay = Overlay.of(name);
        V1ConfigMap config = overlay.generated(V1ConfigMap.class, "emporium-config").orElseThrow();
        assertThat(config.getData().get("EMPORIUM_TRUSTED_PROXIES")).as("the ingress controller's network").isNotBlank();
        Workload gateway = overlay.platform().stream().filter(w -> w.name().equals("gateway")).findFirst().orElseThrow();
        assertThat(gateway.template().getSpec().getContainers().getFirst().getEnvFrom())
            .anySatisfy(source -> assertThat(source.getConfigMapRef().getName()).isEqualTo(config.getMetadata().getName()));
    }

    /** Least privilege: each service connects as the role that owns its database, never the superuser, in both overlays. */
    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void eachServiceConnectsToItsDatabaseAsARoleOfItsOwn(String name) {
        Overlay overlay = Overlay.of(name);
        Map<String, String> databases = Map.of("user-service", "users", "inventory-service", "inventory", "order-service", "orders");
        databases.forEach((service, database) -> {
            Workload workload = overlay.platform().stream().filter(w -> w.name().equals(service)).findFirst().orElseThrow();
            assertThat(env(workload.template().getSpec().getContainers().getFirst())).as(service)
                .containsEntry("DB_USERNAME", "emporium_" + database);
        });
        overlay.find(V1StatefulSet.class, "postgres").ifPresent(postgres -> assertThat(
                env(postgres.getSpec().getTemplate().getSpec().getContainers().getFirst()).get("POSTGRES_USER"))
            .as("the superuser is no service's role").isNotIn(databases.values().stream().map(db -> "emporium_" + db).toList()));
    }

    private static void probe(String where, String kind, V1Probe probe, V1Container container, List<String> problems) {
        if (probe == null) {
            problems.add(where + ": no " + kind + " probe");
            return;
        }
        Object port = probe.getHttpGet() != null ? probe.getHttpGet().getPort()
                : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort() : null;
        if (port != null && port.toString().chars().anyMatch(Character::isLetter)) {
            boolean named = Optional.ofNullable(container.getPorts()).orElse(List.of()).stream()
                .map(V1ContainerPort::getName).anyMatch(port.toString()::equals);
            if (!named) {
                problems.add(where + ": " + kind + " probe names port '" + port + "', which the container does not declare");
            }
        }
    }

    private static boolean selects(V1Service service, Workload workload) {
        Map<String, String> selector = service.getSpec().getSelector();
        return selector != null && !selector.isEmpty() && workload.podLabels().entrySet().containsAll(selector.entrySet());
    }

    private static Set<String> keys(V1Secret secret) {
        Set<String> keys = new HashSet<>();
        Optional.ofNullable(secret.getData()).ifPresent(data -> keys.addAll(data.keySet()));
        Optional.ofNullable(secret.getStringData()).ifPresent(data -> keys.addAll(data.keySet()));
        return keys;
    }

    private static Map<String, String> env(V1Container container) {
        Map<String, String> env = new HashMap<>();
        container.getEnv().stream().filter(var -> var.getValue() != null).forEach(var -> env.put(var.getName(), var.getValue()));
        return env;
    }
}
