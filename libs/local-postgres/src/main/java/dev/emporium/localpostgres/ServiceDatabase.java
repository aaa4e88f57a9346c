package dev.emporium.localpostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * One service's database and the role it connects as: least privilege, as the design asks. The role
 * logs in with its own password, is no superuser and may create neither roles nor databases; it owns
 * its database and that database's {@code public} schema (so Flyway migrates as the owner), and nobody
 * else may connect to it. Only this provisioning uses the superuser.
 * <p>
 * Idempotent: run on every start, it creates what is missing and corrects what is not so, including
 * tables an older version left to the superuser.
 *
 * @param database the database, e.g. {@code orders}
 * @param role the role that owns it, e.g. {@code emporium_orders}
 * @param password the role's password
 */
public record ServiceDatabase(String database, String role, String password) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    public ServiceDatabase {
        if (!NAME.matcher(database).matches() || !NAME.matcher(role).matches()) {
            throw new IllegalArgumentException("database and role must be plain lower-case names, not '" + database + "' / '" + role + "'");
        }
    }

    /** The role a service's database is owned by: {@code emporium_<database>}. */
    public static String roleOf(String database) {
        return "emporium_" + database;
    }

    /**
     * Creates or corrects the role and the database.
     *
     * @param server the server's JDBC URL without a database, e.g. {@code jdbc:postgresql://localhost:5432/}
     * @param superuser a role that may create roles and databases
     */
    public void provision(String server, String superuser, String superuserPassword) throws SQLException {
        try (Connection admin = DriverManager.getConnection(server + "postgres", superuser, superuserPassword);
                Statement sql = admin.createStatement()) {
            String login = "login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password " + literal(password);
            sql.execute(exists(admin, "select 1 from pg_roles where rolname = ?", role) ? "alter role " + role + " with " + login
                    : "create role " + role + " " + login);
            if (!exists(admin, "select 1 from pg_database where datname = ?", database)) {
                sql.execute("create database " + database + " owner " + role);
            }
            sql.execute("alter database " + database + " owner to " + role);
            sql.execute("revoke all on database " + database + " from public");
            sql.execute("grant connect, temporary on database " + database + " to " + role);
        }
        try (Connection admin = DriverManager.getConnection(server + database, superuser, superuserPassword);
                Statement sql = admin.createStatement()) {
            sql.execute("alter schema public owner to " + role);
            // Tables and sequences made before the role existed (by the superuser) move to it; a
            // sequence that belongs to a column follows its table.
            sql.execute("""
                    do $$
                    declare item record;
                    begin
                      for item in
                        select c.relname, case c.relkind when 'S' then 'sequence' when 'v' then 'view'
                                                         when 'm' then 'materialized view' else 'table' end as kind
                        from pg_class c join pg_namespace n on n.oid = c.relnamespace
                        where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S')
                          and pg_get_userbyid(c.relowner) <> '%1$s'
                          and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i'))
                      loop
                        execute format('alter %%s public.%%I owner to %%I', item.kind, item.relname, '%1$s');
                      end loop;
                    end $$""".formatted(role));
        }
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** A string literal for DDL, which takes no bind parameters. */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
