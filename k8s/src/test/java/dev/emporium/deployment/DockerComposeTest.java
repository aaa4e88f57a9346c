package dev.emporium.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml, checked without Docker: every container has a health check and a memory
 * limit, starts only after what it needs is healthy, and is configured with the variables and ports
 * its own application.yml reads.
 */
class DockerComposeTest {

    static final Set<String> PLATFORM = Set.of("discovery", "gateway", "user-service", "inventory-service", "order-service");

    /** Spring Boot binds these prefixes to properties (relaxed binding), so they need no placeholder. */
    static final List<String> SPRING_PREFIXES = List.of("SPRING_", "MANAGEMENT_", "LOGGING_", "EUREKA_", "EMPORIUM_");

    /** Read by the JVM itself, before Spring. */
    static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):([^}]*)}");

    /** Set-up containers that run to completion: the services' Kafka credentials and ACLs. */
    static final java.util.Set<String> ONE_SHOT = java.util.Set.of("kafka-access");

    final Map<String, Map<String, Object>> services = services();

    @Test
    void everyContainerHasAHealthCheckAndAMemoryLimit() {
        assertThat(services.keySet()).containsAll(PLATFORM).contains("postgres", "kafka", "jaeger");
        assertThat(services).allSatisfy((name, service) -> {
            if (ONE_SHOT.contains(name)) {
                assertThat(service).as(name + " runs once").containsEntry("restart", "no");
                return;
            }
            assertThat(service).as(name + " has a health check").containsKey("healthcheck");
            assertThat(map(service.get("healthcheck")).get("test")).as(name + "'s health check test").isNotNull();
            assertThat(service).as(name + " has a memory limit").containsKey("mem_limit");
        });
    }

    @Test
    void theServicesStartOnlyAfterWhatTheyNeedIsHealthy() {
        for (String name : List.of("user-service", "inventory-service", "order-service")) {
            assertThat(map(services.get(name).get("depends_on"))).as(name + " waits for").containsOnlyKeys("postgres", "kafka",
                    "kafka-access", "discovery", "jaeger");
        }
        assertThat(map(services.get("gateway").get("depends_on"))).containsKeys("discovery", "user-service");
        services.forEach((name, service) -> {
            if (service.containsKey("depends_on")) {
                assertThat(map(service.get("depends_on"))).as(name).allSatisfy((dependency, condition) -> assertThat(map(condition))
                    .as(name + " -> " + dependency).containsEntry("condition",
                            ONE_SHOT.contains(dependency) ? "service_completed_successfully" : "service_healthy"));
            }
        });
    }

    @Test
    void portsAndVariablesAgreeWithEachServicesOwnConfiguration() throws IOException {
        for (String name : PLATFORM) {
            Map<String, Object> service = services.get(name);
            Map<String, String> placeholders = placeholders(Overlay.ROOT.resolve(name).resolve("src/main/resources/application.yml"));
            Map<String, Object> environment = map(service.get("environment"));

            assertThat(String.valueOf(environment.get("SERVER_PORT"))).as(name + " SERVER_PORT").isEqualTo(placeholders.get("SERVER_PORT"));
            String managementPort = placeholders.get("MANAGEMENT_PORT");
            assertThat(String.valueOf(environment.get("MANAGEMENT_PORT"))).as(name + " MANAGEMENT_PORT").isEqualTo(managementPort);
            assertThat(String.valueOf(map(service.get("healthcheck")).get("test")))
                .as(name + " checks readiness on its management port").contains("localhost:" + managementPort + "/actuator/health/readiness");
            assertThat(environment.keySet()).as(name + ": every variable is read by the service").allSatisfy(variable ->
                    assertThat(placeholders.containsKey(variable) || JVM_VARIABLES.contains(variable)
                            || SPRING_PREFIXES.stream().anyMatch(variable::startsWith))
                        .as(variable + " is neither a placeholder in " + name + "'s application.yml (or what it imports) nor a Spring property").isTrue());

            assertThat(service.get("image")).as("what ./emporium images builds").isEqualTo("localhost/emporium/" + name + ":dev")
                .isIn(ImagesCommand.references(java.util.List.of()));
            Map<String, Object> build = map(service.get("build"));
            assertThat(build.get("context")).isEqualTo(".");
            assertThat(build).as(name + ": the one Dockerfile").doesNotContainKey("dockerfile");
            assertThat(map(build.get("args"))).containsEntry("SERVICE", name);
        }
        assertThat(services.get("gateway").get("ports")).asList().containsExactly("127.0.0.1:8080:8080");
        assertThat(services.get("jaeger").get("ports")).as("Jaeger's UI only").asList().containsExactly("127.0.0.1:16686:16686");
        assertThat(services).allSatisfy((name, service) -> {
            if (!name.equals("gateway") && !name.equals("jaeger")) {
                assertThat(service).as(name + " is published nowhere: reached through the gateway, or inside the network").doesNotContainKey("ports");
            }
        });
    }

    /** Least privilege: each service connects as the role that owns its database; the superuser only runs the init script. */
    @Test
    void eachServiceConnectsToItsDatabaseAsARoleOfItsOwn() {
        Map<String, String> databases = Map.of("user-service", "users", "inventory-service", "inventory", "order-service", "orders");
        databases.forEach((service, database) -> assertThat(map(services.get(service).get("environment"))).as(service)
            .containsEntry("DB_USERNAME", "emporium_" + database));
        Map<String, Object> postgres = map(services.get("postgres").get("environment"));
        assertThat(postgres.get("POSTGRES_USER")).isEqualTo("postgres");
        assertThat(postgres).containsKeys("EMPORIUM_DB_PASSWORD_USERS", "EMPORIUM_DB_PASSWORD_INVENTORY", "EMPORIUM_DB_PASSWORD_ORDERS");
    }

    @Test
    void theServicesSendTracesToJaegerAndLogJson() {
        for (String name : List.of("gateway", "user-service", "inventory-service", "order-service")) {
            Map<String, Object> environment = map(services.get(name).get("environment"));
            assertThat(environment).as(name)
                .containsEntry("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", "http://jaeger:4318/v1/traces")
                .containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "logstash");
        }
        for (String name : List.of("user-service", "inventory-service", "order-service")) {
            assertThat(String.valueOf(map(services.get(name).get("environment")).get("DB_URL")))
                .as(name + " has a database of its own").startsWith("jdbc:postgresql://postgres:5432/");
        }
    }

    /** The defaults every service imports ({@code spring.config.import}); a service's own file comes first. */
    static final String SHARED = "classpath:emporium/service-defaults.yml";

    /** Every {@code ${NAME:default}} in a service's application.yml and what it imports, with its default. */
    static Map<String, String> placeholders(Path applicationYml) throws IOException {
        Map<String, String> placeholders = new java.util.HashMap<>();
        String configuration = Files.readString(applicationYml);
        if (configuration.contains("import: " + SHARED)) {
            configuration += Files.readString(Overlay.ROOT.resolve("libs/security/src/main/resources/emporium/service-defaults.yml"));
        }
        Matcher matcher = PLACEHOLDER.matcher(configuration);
        while (matcher.find()) {
            placeholders.putIfAbsent(matcher.group(1), matcher.group(2));
        }
        return placeholders;
    }

    static Map<String, Map<String, Object>> services() {
        try {
            Map<String, Object> compose = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(Overlay.ROOT.resolve("docker-compose.yml")));
            Map<String, Map<String, Object>> services = new java.util.LinkedHashMap<>();
            map(compose.get("services")).forEach((name, service) -> services.put(name, map(service)));
            return services;
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
