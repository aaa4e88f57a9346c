package dev.emporium.testsupport;

import dev.emporium.localpostgres.ServiceDatabase;

/**
 * One PostgreSQL server per test JVM. Each service gets its own database on it, created on first use,
 * and connects as the role that owns it and nothing else, as it would in production (database per
 * service, least privilege: {@link ServiceDatabase}). The superuser only provisions.
 */
public interface PostgresServer {

    /** JDBC URL of {@code database}, created with its owner role first if this server does not have it yet. */
    String jdbcUrl(String database);

    /** The role that owns {@code database}, and the one to connect as. */
    default String username(String database) {
        return ServiceDatabase.roleOf(database);
    }

    /** That role's password (a test server's, never a real one). */
    default String password(String database) {
        return "test-password-" + database;
    }

    /** Where the server came from, for the log line that says which infrastructure a test run used. */
    String description();
}
