package dev.emporium.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.OptionalLong;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

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

    static LocalPostgres embedded(Path dataDirectory, int port, Path log) {
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
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
            return new LocalPostgres(postgres, "localhost", port, "postgres", "", dataDirectory);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL did not start on port " + port + "; see " + log, e);
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

    /** One database per service, created when missing. */
    void ensureDatabases(Collection<String> databases) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), username, password);
                PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            for (String database : databases) {
                exists.setString(1, database);
                try (ResultSet rows = exists.executeQuery()) {
                    if (!rows.next()) {
                        connection.createStatement().execute("create database " + database);
                        System.out.println("emporium: created database " + database);
                    }
                }
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("Could not create the service databases " + databases + " on " + description()
                    + ": " + e.getMessage(), e);
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
