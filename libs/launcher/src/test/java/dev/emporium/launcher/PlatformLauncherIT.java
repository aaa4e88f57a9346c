package dev.emporium.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The one-command local run, end to end: the launcher built by this very build starts embedded
 * PostgreSQL, a Kafka broker, discovery, the three services and the gateway as separate processes;
 * the gateway answers through Eureka; and stopping the launcher leaves no process behind.
 * Ports are shifted by {@link #PORT_OFFSET} so a developer's running platform is not disturbed.
 */
class PlatformLauncherIT {

    static final int PORT_OFFSET = 20000;
    static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();

    @TempDir
    Path home;

    Process launcher;

    /** Whatever happened in the test, nothing it started may outlive it (the temp home goes away next). */
    @AfterEach
    void stopEverything() throws IOException {
        if (launcher == null) {
            return;
        }
        List<ProcessHandle> started = launcher.descendants().toList();
        launcher.destroy();
        await().atMost(Duration.ofSeconds(90)).until(() -> !launcher.isAlive());
        started.forEach(ProcessHandle::destroyForcibly);
        postmaster().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void startsEveryServiceBehindTheGatewayAndStopsThemAll() throws Exception {
        launcher = startLauncher();
        await("the launcher to print 'ready'").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
            .failFast("the launcher exited", () -> !launcher.isAlive())
            .untilAsserted(() -> assertThat(output()).contains("emporium: ready in"));

        Http.Response products = Http.get("http://localhost:" + (8080 + PORT_OFFSET) + "/api/products", "application/json");
        assertThat(products.status()).isEqualTo(200);
        assertThat(products.body()).contains("\"content\"", "\"totalElements\"");

        Http.Response registry = Http.get("http://localhost:" + (8761 + PORT_OFFSET) + "/eureka/apps", "application/json");
        assertThat(registry.body()).contains("\"USER-SERVICE\"", "\"INVENTORY-SERVICE\"", "\"ORDER-SERVICE\"", "\"GATEWAY\"");

        Http.Response actuator = Http.get("http://localhost:" + (8080 + PORT_OFFSET) + "/actuator/env", "application/json");
        assertThat(actuator.status()).as("the gateway must not route actuator endpoints").isEqualTo(404);

        shopperRegistersLogsInAndIsCheckedAtEveryHop();

        List<ProcessHandle> started = launcher.descendants().toList();
        long postgres = postmaster().orElseThrow();
        assertThat(started).extracting(process -> process.info().commandLine().orElse(""))
            .anyMatch(line -> line.contains("-Demporium.process=gateway"))
            .anyMatch(line -> line.contains("-Demporium.process=kafka"));

        launcher.destroy();

        await("every process to stop").atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(launcher.isAlive()).isFalse();
            assertThat(started).noneMatch(ProcessHandle::isAlive);
            assertThat(ProcessHandle.of(postgres)).isEmpty();
        });
        assertThat(output()).contains("emporium: stopping", "emporium: stopped");
    }

    /** The identity flow through the gateway, with user-service's real keys fetched through Eureka. */
    private void shopperRegistersLogsInAndIsCheckedAtEveryHop() throws IOException {
        String gateway = "http://localhost:" + (8080 + PORT_OFFSET);
        String email = "shopper." + java.util.UUID.randomUUID() + "@example.org";

        Http.Response registered = Http.postJson(gateway + "/api/users/register",
                "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\",\"name\":\"Shopper\",\"roles\":[\"ADMIN\"]}");
        Http.Response login = Http.postJson(gateway + "/api/users/login",
                "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}");
        String token = JsonPath.read(login.body(), "$.accessToken");
        Http.Response me = Http.get(gateway + "/api/users/me", "application/json", token);
        Http.Response anonymous = Http.get(gateway + "/api/users/me", "application/json");
        Http.Response adminOnly = Http.get(gateway + "/api/orders/dead-letters", "application/json", token);
        String adminPassword = Files.readString(home.resolve("admin-password")).strip();
        String adminToken = JsonPath.read(Http.postJson(gateway + "/api/users/login",
                "{\"email\":\"admin@emporium.local\",\"password\":\"" + adminPassword + "\"}").body(), "$.accessToken");
        Http.Response asAdmin = Http.get(gateway + "/api/orders/dead-letters", "application/json", adminToken);

        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(login.status()).isEqualTo(200);
        assertThat(me.status()).isEqualTo(200);
        assertThat(JsonPath.<String>read(me.body(), "$.role")).isEqualTo("CUSTOMER");
        assertThat(JsonPath.<Double>read(me.body(), "$.credit.available")).isEqualTo(1000.0);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(adminOnly.status()).as("a customer at an admin endpoint").isEqualTo(403);
        assertThat(asAdmin.status()).as(asAdmin.body()).isEqualTo(200);
    }

    private Process startLauncher() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Demporium.process=launcher-it", "-jar",
                ROOT.resolve("libs/launcher/target/launcher.jar").toString(), "up")
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("launcher.out").toFile());
        builder.environment().putAll(Map.of("EMPORIUM_ROOT", ROOT.toString(), "EMPORIUM_HOME", home.toString(),
                "EMPORIUM_PORT_OFFSET", Integer.toString(PORT_OFFSET)));
        return builder.start();
    }

    private Optional<Long> postmaster() throws IOException {
        Path lockFile = home.resolve("postgres/postmaster.pid");
        return Files.exists(lockFile) ? Optional.of(Long.parseLong(Files.readAllLines(lockFile).getFirst().trim()))
                : Optional.empty();
    }

    private String output() throws IOException {
        return Files.readString(home.resolve("launcher.out"));
    }
}
