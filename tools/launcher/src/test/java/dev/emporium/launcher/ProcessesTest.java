package dev.emporium.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stopping the platform: the services before what they use, with real processes that take a while to stop. */
class ProcessesTest {

    @Test
    void stopsTheGatewayAndTheServicesAndOnlyOnceTheyHaveStoppedTheRegistryAndKafka(@TempDir Path home)
            throws Exception {
        Path stops = home.resolve("stops");
        Files.createFile(stops);
        Settings settings = Settings.from(Map.of("EMPORIUM_HOME", home.toString(), "EMPORIUM_ROOT", home.toString()));
        PidFile pids = new PidFile(home);
        pids.reset();
        Processes processes = new Processes(settings, new Priority(0), pids);
        // launched in the order the platform starts them, which is not the order they are to stop in
        for (String name : List.of("kafka", "discovery", "user-service", "order-service-2", "gateway")) {
            processes.launch(name, slowToStop(name, stops), Map.of());
        }
        awaitStarted(processes, home);

        processes.stopAll(Duration.ofSeconds(10));

        List<String> lines = Files.readAllLines(stops);
        assertThat(lines).hasSize(10);
        for (String service : List.of("gateway", "user-service", "order-service-2")) {
            assertStoppedBefore(lines, service, "discovery");
            assertStoppedBefore(lines, service, "kafka");
        }
        // each step's processes together: each is asked to stop before another of its step has stopped
        assertAskedTogether(lines, "gateway", "user-service");
        assertAskedTogether(lines, "user-service", "order-service-2");
        assertAskedTogether(lines, "discovery", "kafka");
        assertThat(processes.all()).noneMatch(ManagedProcess::isAlive);
    }

    /** {@code first} had stopped before {@code then} was asked to stop. */
    private static void assertStoppedBefore(List<String> lines, String first, String then) {
        int stopped = lines.indexOf(first + " stopped");
        assertThat(stopped).as("%s stopped before %s was asked to: %s", first, then, lines).isNotNegative()
            .isLessThan(lines.indexOf(then + " stopping"));
    }

    private static void assertAskedTogether(List<String> lines, String one, String other) {
        assertThat(lines.indexOf(one + " stopping")).as("%s asked to stop before %s had stopped: %s", one, other, lines)
            .isLessThan(lines.indexOf(other + " stopped"));
        assertThat(lines.indexOf(other + " stopping")).as("%s asked to stop before %s had stopped: %s", other, one, lines)
            .isLessThan(lines.indexOf(one + " stopped"));
    }

    /** A shell that, on SIGTERM, notes that it is stopping, takes a moment, and notes that it has stopped. */
    private static List<String> slowToStop(String name, Path stops) {
        String script = "trap 'echo \"$0 stopping\" >> \"$1\"; sleep 0.3; echo \"$0 stopped\" >> \"$1\"; exit 0' TERM; "
                + "touch \"$1.$0\"; while :; do sleep 0.05; done";
        return List.of("sh", "-c", script, name, stops.toString());
    }

    /** A signal that arrives before the shell has set its trap would end it at once, unnoted. */
    private static void awaitStarted(Processes processes, Path home) {
        await().atMost(Duration.ofSeconds(10)).until(() -> processes.all().stream()
            .allMatch(process -> Files.exists(home.resolve("stops." + process.name()))));
    }
}
