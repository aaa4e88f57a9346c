package dev.emporium.testsupport;

import org.testcontainers.postgresql.PostgreSQLContainer;

/** PostgreSQL in a container, for machines with a Docker engine. */
final class ContainerPostgresServer implements PostgresServer {

    static final String IMAGE = "postgres:17-alpine";

    private final PostgreSQLContainer container;
    private final Databases databases;

    ContainerPostgresServer() {
        container = new PostgreSQLContainer(IMAGE);
        container.start();
        databases = new Databases("jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/",
                container.getUsername(), container.getPassword(), this);
    }

    @Override
    public String jdbcUrl(String database) {
        databases.ensureExists(database);
        return "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/" + database;
    }

    @Override
    public String description() {
        return "PostgreSQL container " + IMAGE;
    }
}
