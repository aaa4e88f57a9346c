package dev.emporium.launcher;

import java.util.List;
import java.util.stream.IntStream;

import dev.emporium.launcher.Platform.Service;

/**
 * One process of a service. The first instance has the service's name and ports; the n-th is named
 * {@code <service>-n} and listens {@value #PORT_STEP} × (n - 1) higher (user-service-2 on 8101,
 * its actuator on 9101): clear of Kafka's 9092 and 9093, and of a second platform started with
 * {@code EMPORIUM_PORT_OFFSET=100}. Every
 * instance of a service is the same program with the same database, Kafka principal and consumer
 * groups; only its name and ports differ.
 */
public record Instance(Service service, int number) {

    static final int PORT_STEP = 20;

    public Instance {
        if (number < 1) {
            throw new IllegalArgumentException("instances are numbered from 1, not " + number);
        }
    }

    /** The instances 1 to {@code replicas} of a service. */
    public static List<Instance> of(Service service, int replicas) {
        return IntStream.rangeClosed(1, replicas).mapToObj(number -> new Instance(service, number)).toList();
    }

    public String name() {
        return number == 1 ? service.name() : service.name() + "-" + number;
    }

    public int port() {
        return service.port() + PORT_STEP * (number - 1);
    }

    public int managementPort() {
        return service.managementPort() + PORT_STEP * (number - 1);
    }
}
