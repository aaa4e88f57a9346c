package dev.emporium.deployment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.util.Yaml;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * One kustomize overlay as the cluster would receive it: rendered by {@code kubectl kustomize} and
 * parsed strictly by the Kubernetes Java client, which refuses unknown fields and wrong types.
 */
record Overlay(String name, List<KubernetesObject> objects) {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("..").normalize();
    static final Path K8S = ROOT.resolve("k8s");

    private static final Map<String, Overlay> RENDERED = new ConcurrentHashMap<>();

    /** A workload (Deployment or StatefulSet) reduced to what the policies look at. */
    /** @param fixedReplicas the {@code replicas} the manifest sets, or null where it sets none (an autoscaler owns them) */
    record Workload(String kind, V1ObjectMeta metadata, Map<String, String> selector, V1PodTemplateSpec template, Integer fixedReplicas) {

        /** As many as the cluster starts: one where the manifest sets none. */
        int replicas() {
            return fixedReplicas == null ? 1 : fixedReplicas;
        }

        String name() {
            return metadata.getName();
        }

        List<V1Container> containers() {
            List<V1Container> all = new ArrayList<>(template.getSpec().getContainers());
            Optional.ofNullable(template.getSpec().getInitContainers()).ifPresent(all::addAll);
            return all;
        }

        Map<String, String> podLabels() {
            return template.getMetadata().getLabels();
        }
    }

    static Overlay of(String name) {
        return RENDERED.computeIfAbsent(name, Overlay::render);
    }

    private static Overlay render(String name) {
        String yaml = kustomize(K8S.resolve("overlays").resolve(name));
        try {
            List<KubernetesObject> objects = Yaml.loadAll(yaml).stream().map(KubernetesObject.class::cast).toList();
            return new Overlay(name, objects);
        }
        catch (IOException | RuntimeException e) {
            throw new AssertionError("overlays/" + name + " renders, but the Kubernetes client refuses it: " + e.getMessage(), e);
        }
    }

    /** {@code kubectl kustomize <dir>}; CI must have kubectl, a developer without it skips these checks. */
    static String kustomize(Path directory) {
        boolean onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, "kubectl")));
        if (System.getenv("CI") == null) {
            assumeThat(onPath).as("kubectl is not on the PATH: the manifest checks need it to render the overlays").isTrue();
        }
        try {
            Process kubectl = new ProcessBuilder("kubectl", "kustomize", directory.toString()).redirectErrorStream(false).start();
            byte[] out = kubectl.getInputStream().readAllBytes();
            String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + K8S.relativize(directory) + " failed: " + err);
            }
            return new String(out, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new AssertionError("kubectl is needed to render the overlays (CI installs it): " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while rendering " + directory, e);
        }
    }

    <T extends KubernetesObject> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends KubernetesObject> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(object -> object.getMetadata().getName().equals(name)).findFirst();
    }

    /** A kustomize-generated object: its name, then a dash and the hash of its content. */
    <T extends KubernetesObject> Optional<T> generated(Class<T> type, String name) {
        return all(type).stream().filter(object -> object.getMetadata().getName().matches(Pattern.quote(name) + "-[a-z0-9]{10}")).findFirst();
    }

    List<Workload> workloads() {
        List<Workload> workloads = new ArrayList<>();
        all(V1Deployment.class).forEach(d -> workloads.add(new Workload("Deployment", d.getMetadata(),
                d.getSpec().getSelector().getMatchLabels(), d.getSpec().getTemplate(), d.getSpec().getReplicas())));
        all(V1StatefulSet.class).forEach(s -> workloads.add(new Workload("StatefulSet", s.getMetadata(),
                s.getSpec().getSelector().getMatchLabels(), s.getSpec().getTemplate(), s.getSpec().getReplicas())));
        return workloads;
    }

    /** The platform's own processes (built from this repository), as opposed to PostgreSQL, Kafka, Jaeger. */
    List<Workload> platform() {
        return workloads().stream()
            .filter(workload -> List.of("gateway", "service", "discovery").contains(workload.podLabels().get("app.kubernetes.io/component")))
            .toList();
    }
}
