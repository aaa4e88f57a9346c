package dev.emporium.benchmark;

import java.time.Duration;
import java.time.Instant;

import dev.emporium.launcher.Http;
import dev.emporium.launcher.ManagedProcess;

/**
 * What the benchmark's yardsticks for the gateway (nginx, the bare gateway) share: wait until one
 * answers the GET it is measured with, and go down with the benchmark.
 */
final class ReferenceProxy {

    /** SIGTERM (nginx's fast shutdown, a JVM's shutdown hooks), then SIGKILL after this. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private ReferenceProxy() {
    }

    /**
     * Waits until {@code process} answers {@code GET /api/products?size=1} on {@code port}; it is stopped
     * when the benchmark is (Ctrl-C too), so that it never holds its port afterwards.
     *
     * @throws IllegalStateException when it exits or does not answer within {@code timeout}
     */
    static ManagedProcess awaitServing(ManagedProcess process, int port, Duration timeout) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> process.stop(STOP_GRACE), process.name() + "-stop"));
        Instant deadline = Instant.now().plus(timeout);
        while (Http.get("http://localhost:" + port + "/api/products?size=1", "application/json").status() != 200) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                process.stop(STOP_GRACE);
                throw new IllegalStateException(process.name() + " did not start within " + timeout.toSeconds() + " s; see " + process.log());
            }
            Thread.sleep(Duration.ofMillis(100));
        }
        return process;
    }

    static void stop(ManagedProcess process) {
        process.stop(STOP_GRACE);
    }
}
