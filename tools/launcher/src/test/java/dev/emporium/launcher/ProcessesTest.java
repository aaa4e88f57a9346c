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

/** Stopping the platform from the edge inwards, with real processes that take a while to stop. */
class ProcessesTest {

    @Test
    void stopsTheGatewayThenTheServicesThenTheRegistryThenKafkaEachTierOnlyOnceThePreviousHasStopped(@TempDir Path home)
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
        assertThat(stoppedBefore(lines, "gateway", "user-service")).as("%s stopped before %s was asked to: %s", "gateway", "user-service", lines).isTrue();
        assertThat(stoppedBefore(lines, "gateway", "order-service-2")).as("%s stopped before %s was asked to: %s", "gateway", "order-service-2", lines).isTrue();
        assertThat(stoppedBefore(lines, "user-service", "discovery")).as("%s stopped before %s was asked to: %s", "user-service", "discovery", lines).isTrue();
        assertThat(stoppedBefore(lines, "order-service-2", "discovery")).as("%s stopped before %s was asked to: %s", "order-service-2", "discovery", lines).isTrue();
        assertThat(stoppedBefore(lines, "discovery", "kafka")).as("%s stopped before %s was asked to: %s", "discovery", "kafka", lines).isTrue();
        // one tier's processes together: both services are stopping before either has stopped
        assertThat(lines.indexOf("user-service stopping")).isLessThan(lines.indexOf("order-service-2 stopped"));
        assertThat(lines.indexOf("order-service-2 stopping")).isLessThan(lines.indexOf("user-service stopped"));
        assertThat(processes.all()).noneMatch(ManagedProcess::isAlive);
    }

    /** {@code first} had stopped before {@code then} was asked to stop. */
    private static boolean stoppedBefore(List<String> lines, String first, String then) {
        int stopped = lines.indexOf(first + " stopped");
        return stopped >= 0 && stopped < lines.indexOf(then + " stopping");
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
