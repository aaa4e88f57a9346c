package dev.emporium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.boot.SpringApplication;

/** A real PostgreSQL from the binaries zonky publishes on Maven Central, on a free port. */
final class EmbeddedPostgresServer implements PostgresServer {

    private static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Databases databases;

    EmbeddedPostgresServer() {
        try {
            postgres = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL did not start", e);
        }
        // Stopped after Spring Boot has closed the test JVM's cached contexts (see EmbeddedKafkaServer).
        SpringApplication.getShutdownHandlers().add(this::stop);
        databases = new Databases("jdbc:postgresql://localhost:" + postgres.getPort() + "/", USER, "", this);
    }

    private void stop() {
        try {
            postgres.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL did not stop cleanly", e);
        }
    }

    @Override
    public String jdbcUrl(String database) {
        databases.ensureExists(database);
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
    }

    @Override
    public String description() {
        return "embedded PostgreSQL on port " + postgres.getPort();
    }
}
