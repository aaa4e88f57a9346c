package dev.emporium.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Creates the per-service databases on a shared server, each once. */
final class Databases {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final String adminUrl;
    private final String username;
    private final String password;
    private final Set<String> created = new HashSet<>();

    Databases(String adminUrl, String username, String password) {
        this.adminUrl = adminUrl;
        this.username = username;
        this.password = password;
    }

    synchronized void ensureExists(String database) {
        if (!NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("'" + database + "' is not a plain lower-case database name");
        }
        if (created.contains(database)) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(adminUrl, username, password);
                PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rows = exists.executeQuery()) {
                if (!rows.next()) {
                    connection.createStatement().execute("create database " + database);
                }
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("Could not create test database '" + database + "' at " + adminUrl, e);
        }
        created.add(database);
    }
}
