package dev.emporium.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.OptionalLong;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import dev.emporium.localpostgres.ServiceDatabase;

/**
 * The PostgreSQL server of the local run: zonky's embedded PostgreSQL (real binaries from Maven
 * Central) with its data kept under {@code .emporium/postgres}, or an external server.
 */
final class LocalPostgres implements AutoCloseable {

    private final EmbeddedPostgres embedded;
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final Path dataDirectory;

    private LocalPostgres(EmbeddedPostgres embedded, String host, int port, String username, String password,
            Path dataDirectory) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.dataDirectory = dataDirectory;
    }

    /**
     * @param superuserPassword the superuser's password: set on the first start, after which every
     *        connection, the superuser's included, needs a password (SCRAM)
     */
    static LocalPostgres embedded(Path dataDirectory, int port, Path log, String superuserPassword) {
        try {
            Files.createDirectories(log.getParent());
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(false)
                // zonky turns durability off for speed; the local run keeps data, so turn it back on.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setConnectConfig("password", superuserPassword)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
            requirePasswords(postgres, dataDirectory, superuserPassword);
            return new LocalPostgres(postgres, "localhost", port, "postgres", superuserPassword, dataDirectory);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL did not start on port " + port + "; see " + log, e);
        }
    }

    /**
     * initdb lets every local connection in without a password ({@code trust}); the first start gives
     * the superuser its password and then asks every connection for one, so that a service's role
     * cannot pass for another or for the superuser.
     */
    private static void requirePasswords(EmbeddedPostgres postgres, Path dataDirectory, String superuserPassword) throws IOException {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        String required = """
                # Written by the Emporium launcher: a password (SCRAM) for every connection
                local all all scram-sha-256
                host all all 127.0.0.1/32 scram-sha-256
                host all all ::1/128 scram-sha-256
                """;
        if (Files.readString(hba).equals(required)) {
            return;
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("alter role postgres password '" + superuserPassword.replace("'", "''") + "'");
            Files.writeString(hba, required);
            sql.execute("select pg_reload_conf()");
        }
        catch (SQLException e) {
            throw new IOException("Could not give PostgreSQL's superuser its password: " + e.getMessage(), e);
        }
    }

    static LocalPostgres external(Settings.ExternalDatabase database) {
        return new LocalPostgres(null, database.host(), database.port(), database.username(), database.password(), null);
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    String username() {
        return username;
    }

    String password() {
        return password;
    }

    String description() {
        return embedded != null ? "embedded PostgreSQL 17, data in " + dataDirectory : "PostgreSQL at " + host + ":" + port;
    }

    /**
     * One database per service, each owned by a role of its own that is no superuser and may connect
     * to nothing else ({@link ServiceDatabase}); created or corrected on every start.
     */
    void provision(Collection<ServiceDatabase> databases) {
        for (ServiceDatabase database : databases) {
            try {
                database.provision("jdbc:postgresql://" + host + ":" + port + "/", username, password);
            }
            catch (SQLException e) {
                throw new IllegalStateException("Could not create database " + database.database() + " and its role " + database.role()
                        + " on " + description() + " as " + username + " (it must be allowed to create roles and databases): "
                        + e.getMessage(), e);
            }
        }
    }

    /** The postmaster's PID, read from its lock file; empty for an external server. */
    OptionalLong postmasterPid() {
        if (dataDirectory == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).getFirst().trim()));
        }
        catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** PostgreSQL is a postmaster and one process per connection sharing memory: their PSS adds up, RSS would not. */
    long proportionalKib() {
        return postmasterPid().stream().mapToObj(ProcessHandle::of).flatMap(java.util.Optional::stream)
            .mapToLong(Memory::treeProportionalKib).sum();
    }

    @Override
    public void close() {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
        }
        catch (IOException e) {
            System.out.println("emporium: PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }
}
