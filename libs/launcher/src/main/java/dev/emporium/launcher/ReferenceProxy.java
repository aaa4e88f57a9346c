package dev.emporium.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * What the benchmark's yardsticks for the gateway (nginx, the bare gateway) share: wait until one
 * answers the GET it is measured with, go down with the benchmark, stop.
 */
final class ReferenceProxy {

    private ReferenceProxy() {
    }

    /**
     * Waits until {@code process} answers {@code GET /api/products?size=1} on {@code port}; it is stopped
     * when the benchmark is (Ctrl-C too), so that it never holds its port afterwards.
     *
     * @throws IllegalStateException when it exits or does not answer within {@code timeout}
     */
    static Process awaitServing(Process process, String name, int port, Duration timeout, java.nio.file.Path logs) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process), name + "-stop"));
        Instant deadline = Instant.now().plus(timeout);
        while (Http.get("http://localhost:" + port + "/api/products?size=1", "application/json").status() != 200) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not start within " + timeout.toSeconds() + " s; see " + logs);
            }
            Thread.sleep(Duration.ofMillis(100));
        }
        return process;
    }

    /** SIGTERM (nginx's fast shutdown, a JVM's shutdown hooks), then SIGKILL after 10 s. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
