package dev.emporium.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.emporium.launcher.Platform.Service;

/** What must hold before anything starts: every jar built, every port the platform needs free. */
final class Preflight {

    private Preflight() {
    }

    /** @throws IllegalStateException saying what to run or to stop */
    static void check(Settings settings) {
        jarsExist(settings);
        portsFree(settings);
    }

    private static void jarsExist(Settings settings) {
        List<String> missing = Platform.everyService()
            .map(service -> settings.jar(service.name()))
            .filter(jar -> !Files.exists(jar))
            .map(Path::toString)
            .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("not built yet: " + missing + ". Run ./emporium up (it builds what is missing)"
                    + " or ./mvnw -DskipTests package.");
        }
    }

    private static void portsFree(Settings settings) {
        List<Integer> wanted = new ArrayList<>();
        Platform.everyInstance(settings.replicas()).forEach(instance -> {
            wanted.add(settings.port(instance.port()));
            wanted.add(settings.port(instance.managementPort()));
        });
        if (settings.externalDatabase().isEmpty()) {
            wanted.add(settings.port(Platform.POSTGRES_PORT));
        }
        if (settings.otlpEndpoint().isEmpty()) {
            wanted.add(settings.port(Platform.TRACE_COLLECTOR_PORT));
        }
        new PlatformKafka(settings).brokers().forEach(broker -> {
            wanted.add(broker.port());
            wanted.add(broker.controllerPort());
        });
        List<Integer> busy = wanted.stream().filter(port -> !isFree(port)).toList();
        if (!busy.isEmpty()) {
            throw new IllegalStateException("these ports are already in use: " + busy + ". Is Emporium already running?"
                    + " Stop it with ./emporium down, or run a second one with EMPORIUM_PORT_OFFSET=100.");
        }
    }

    /**
     * Whether a server could listen on the port now. SO_REUSEADDR is set before binding, as the
     * services' servers do: a connection that just closed (TIME_WAIT) does not keep them off a port.
     */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }
}
