package dev.emporium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;


import dev.emporium.localkafka.KafkaBroker;

import static org.awaitility.Awaitility.await;

/**
 * A real Kafka broker in its own JVM that a test can stop and start again on the same port with the
 * same data, to prove what the platform does while Kafka is down. Tests that do not need an outage
 * use the shared broker of {@link TestInfrastructure} instead.
 */
public final class KafkaProcess implements AutoCloseable {

    private final Path directory;
    private final int port;
    private final int controllerPort;
    private Process process;

    private KafkaProcess(Path directory, int port, int controllerPort) {
        this.directory = directory;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Starts a broker keeping its data in {@code directory}, on free ports it keeps across restarts. */
    public static KafkaProcess start(Path directory) {
        KafkaProcess kafka = prepare(directory);
        kafka.start();
        return kafka;
    }

    /** A broker not started yet, its ports chosen: for a service that must start before Kafka does. */
    public static KafkaProcess prepare(Path directory) {
        return new KafkaProcess(directory, freePort(), freePort());
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** Starts the broker again after {@link #stop()}, and returns once it answers. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        // The test JVM's own class path carries Kafka (through local-kafka).
        List<String> command = List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                KafkaBroker.class.getName(), directory.toString(), Integer.toString(port), Integer.toString(controllerPort));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolveSibling(directory.getFileName() + ".log").toFile()))
                .start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not start a Kafka broker process", e);
        }
        await("Kafka broker at " + bootstrapServers()).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
            .failFast("the broker process exited", () -> !process.isAlive())
            .until(this::answers);
    }

    /** A clean shutdown (SIGTERM); returns once the process has gone. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private boolean answers() {
        return KafkaBroker.answers(bootstrapServers());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
