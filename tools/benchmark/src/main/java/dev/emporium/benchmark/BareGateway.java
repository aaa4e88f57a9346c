package dev.emporium.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.emporium.launcher.ManagedProcess;
import dev.emporium.launcher.Settings;

/**
 * The bare Spring Cloud Gateway of {@code tools/benchmark/bare-gateway} (the framework with the platform's
 * telemetry and one static route, nothing of the gateway's own), started in front of one service for the
 * benchmark to compare the real gateway with. {@code ./emporium bench} builds its jar before the run.
 */
final class BareGateway {

    static final String JAR = "tools/benchmark/bare-gateway/target/bare-gateway.jar";

    private BareGateway() {
    }

    /**
     * Starts it on {@code port} proxying to {@code localhost:upstream}, with the services' JVM options and
     * {@code environment} (the trace sampling and the OTLP endpoint); empty when its jar was not built or
     * it did not answer within a minute (said on the console).
     */
    static Optional<ManagedProcess> start(Settings settings, Path directory, int port, int managementPort, int upstream,
            Map<String, String> environment) {
        Path jar = settings.root().resolve(JAR);
        if (!Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(settings.javaOptionsOf("gateway")); // as the gateway it is compared with
        command.addAll(List.of("-Demporium.process=bare-gateway", "-jar", jar.toString()));
        Map<String, String> env = new HashMap<>(environment);
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("BARE_GATEWAY_UPSTREAM", "http://localhost:" + upstream);
        try {
            ManagedProcess process = ManagedProcess.start("the bare gateway", command, env, directory.resolve("bare-gateway.log"));
            return Optional.of(ReferenceProxy.awaitServing(process, port, Duration.ofSeconds(60)));
        }
        catch (IllegalStateException e) {
            // a yardstick that did not start costs the report one row, not the run
            System.out.println("emporium bench: " + e.getMessage() + "; comparing the gateway without it");
            return Optional.empty();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
