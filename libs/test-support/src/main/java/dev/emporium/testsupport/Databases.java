package dev.emporium.testsupport;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

import dev.emporium.localpostgres.ServiceDatabase;

/** Creates the per-service databases on a shared server, each once, each owned by a role of its own. */
final class Databases {

    private final String server;
    private final String superuser;
    private final String password;
    private final PostgresServer roles;
    private final Set<String> created = new HashSet<>();

    /** @param server the server's JDBC URL without a database ({@code jdbc:postgresql://host:port/}) */
    Databases(String server, String superuser, String password, PostgresServer roles) {
        this.server = server;
        this.superuser = superuser;
        this.password = password;
        this.roles = roles;
    }

    synchronized void ensureExists(String database) {
        if (created.contains(database)) {
            return;
        }
        try {
            new ServiceDatabase(database, roles.username(database), roles.password(database)).provision(server, superuser, password);
        }
        catch (SQLException e) {
            throw new IllegalStateException("Could not create test database '" + database + "' at " + server, e);
        }
        created.add(database);
    }
}
