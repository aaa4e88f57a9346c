package dev.emporium.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.emporium.localkafka.KafkaAccess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compose and the dev overlay give the services their Kafka credentials and ACLs with a shell script;
 * the local run with {@link KafkaAccess} itself. The script's ACLs are exactly the table's.
 */
class KafkaAccessScriptTest {

    @Test
    void theSetupScriptGrantsExactlyWhatTheTableSays() throws IOException {
        List<String> script = Files.readAllLines(Overlay.K8S.resolve("overlays/dev/kafka-access.sh")).stream()
            .filter(line -> line.startsWith("acl ")).map(line -> line.substring("acl ".length())).toList();

        assertThat(script).containsExactlyElementsOf(KafkaAccess.commands());
    }

    /**
     * A topic a service declares (its NewTopic beans, named by a literal or by a constant of its
     * {@code Topics} class) is one the table lets it create: a new topic without an ACL fails here.
     */
    @Test
    void everyTopicAServiceDeclaresIsOneItOwnsInTheTable() throws IOException {
        java.util.regex.Pattern declaration = java.util.regex.Pattern.compile("TopicBuilder\\.name\\((?:\"([^\"]+)\"|Topics\\.(\\w+))\\)");
        for (KafkaAccess.Service service : KafkaAccess.SERVICES) {
            java.util.List<String> declared = new java.util.ArrayList<>();
            java.util.Map<String, String> constants = new java.util.HashMap<>();
            java.util.List<String> sources = new java.util.ArrayList<>();
            try (var files = Files.walk(Overlay.ROOT.resolve(service.name()).resolve("src/main/java"))) {
                for (java.nio.file.Path source : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(source);
                    sources.add(text);
                    if (source.getFileName().toString().equals("Topics.java")) {
                        java.util.regex.Matcher constant = java.util.regex.Pattern
                            .compile("static final String (\\w+) = \"([^\"]+)\"").matcher(text);
                        while (constant.find()) {
                            constants.put(constant.group(1), constant.group(2));
                        }
                    }
                }
            }
            for (String text : sources) {
                java.util.regex.Matcher topic = declaration.matcher(text);
                while (topic.find()) {
                    declared.add(topic.group(1) != null ? topic.group(1) : constants.get(topic.group(2)));
                }
            }
            assertThat(declared).as(service.name() + "'s topics").isNotEmpty().doesNotContainNull();
            // a replay topic is created by the messaging library for the listener that reads it
            assertThat(service.owns().stream().filter(owned -> !owned.endsWith(".replay")))
                .as("what KafkaAccess lets " + service.name() + " create").containsExactlyInAnyOrderElementsOf(declared);
            assertThat(service.owns().stream().filter(owned -> owned.endsWith(".replay")))
                .as(service.name() + "'s replay topics, each read by its listener").allMatch(service.consumes()::contains);
        }
    }

    @Test
    void composeAndTheDevOverlayRunTheScriptBeforeTheServicesStart() throws IOException {
        String compose = Files.readString(Overlay.ROOT.resolve("docker-compose.yml"));
        String dev = Files.readString(Overlay.K8S.resolve("overlays/dev/kustomization.yaml"));

        assertThat(compose).contains("./k8s/overlays/dev/kafka-access.sh", "condition: service_completed_successfully");
        assertThat(dev).contains("kafka-access.sh");
    }
}
