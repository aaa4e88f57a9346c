package dev.emporium.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * The single entry point to the shared test servers. Each server starts on first request and then
 * lives until the JVM exits, so every test class and every cached Spring context of one Maven module
 * talks to the same PostgreSQL and the same Kafka.
 *
 * <p>Which kind of server is chosen by {@code -Demporium.test.infrastructure} or the
 * {@code EMPORIUM_TEST_INFRASTRUCTURE} environment variable: {@code containers}, {@code embedded},
 * or {@code auto} (the default: containers when a Docker engine answers, embedded otherwise).
 */
public final class TestInfrastructure {

    private static final Logger log = LoggerFactory.getLogger(TestInfrastructure.class);

    private static PostgresServer postgres;
    private static KafkaServer kafka;
    private static Kind kind;

    private TestInfrastructure() {
    }

    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            postgres = kind() == Kind.CONTAINERS ? new ContainerPostgresServer() : new EmbeddedPostgresServer();
            log.info("Tests use {}", postgres.description());
        }
        return postgres;
    }

    public static synchronized KafkaServer kafka() {
        if (kafka == null) {
            kafka = kind() == Kind.CONTAINERS ? new ContainerKafkaServer() : new EmbeddedKafkaServer();
            log.info("Tests use {}", kafka.description());
        }
        return kafka;
    }

    private static Kind kind() {
        if (kind == null) {
            kind = Kind.choose();
        }
        return kind;
    }

    enum Kind {
        CONTAINERS, EMBEDDED;

        static Kind choose() {
            String wanted = System.getProperty("emporium.test.infrastructure",
                    System.getenv().getOrDefault("EMPORIUM_TEST_INFRASTRUCTURE", "auto"))
                .trim().toLowerCase(Locale.ROOT);
            return switch (wanted) {
                case "containers" -> CONTAINERS;
                case "embedded" -> EMBEDDED;
                case "auto" -> dockerMayRun() && DockerClientFactory.instance().isDockerAvailable() ? CONTAINERS : EMBEDDED;
                default -> throw new IllegalArgumentException("emporium.test.infrastructure is '" + wanted
                        + "'; use one of: auto, containers, embedded");
            };
        }

        /**
         * Asking Testcontainers on a machine without any Docker endpoint costs seconds and logs an
         * alarming ERROR, so it is asked only where an endpoint could be.
         */
        private static boolean dockerMayRun() {
            return System.getenv("DOCKER_HOST") != null
                    || Files.exists(Path.of("/var/run/docker.sock"))
                    || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))
                    || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        }
    }
}
