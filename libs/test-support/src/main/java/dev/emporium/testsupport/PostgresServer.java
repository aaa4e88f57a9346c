package dev.emporium.testsupport;

/**
 * One PostgreSQL server per test JVM. Each service gets its own database on it, created on first use,
 * as it would in production (database per service).
 */
public interface PostgresServer {

    /** JDBC URL of {@code database}, created first if this server does not have it yet. */
    String jdbcUrl(String database);

    String username();

    String password();

    /** Where the server came from, for the log line that says which infrastructure a test run used. */
    String description();
}
