package dev.emporium.localpostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Against a real PostgreSQL: each service's role owns its database, and nothing else. */
class ServiceDatabaseIT {

    static EmbeddedPostgres postgres;
    static String server;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
        server = "jdbc:postgresql://localhost:" + postgres.getPort() + "/";
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void eachRoleOwnsItsDatabaseIsNoSuperuserAndCannotConnectToAnother() throws SQLException {
        ServiceDatabase orders = new ServiceDatabase("orders_a", "emporium_orders_a", "orders-secret");
        ServiceDatabase users = new ServiceDatabase("users_a", "emporium_users_a", "users-secret");
        orders.provision(server, "postgres", "");
        users.provision(server, "postgres", "");

        try (Connection own = DriverManager.getConnection(server + "orders_a", "emporium_orders_a", "orders-secret");
                Statement sql = own.createStatement()) {
            sql.execute("create table t (id int primary key)");
            assertThat(single(sql, "select rolsuper or rolcreaterole or rolcreatedb from pg_roles where rolname = current_user"))
                .isEqualTo("f");
            assertThat(single(sql, "select pg_get_userbyid(datdba) from pg_database where datname = 'orders_a'"))
                .isEqualTo("emporium_orders_a");
            assertThatExceptionOfType(SQLException.class).as("a superuser's function")
                .isThrownBy(() -> sql.execute("select pg_reload_conf()"));
        }
        assertThatExceptionOfType(SQLException.class).as("orders' role in the users database")
            .isThrownBy(() -> DriverManager.getConnection(server + "users_a", "emporium_orders_a", "orders-secret").close())
            .withMessageContaining("permission denied");
    }

    @Test
    void takesOverTablesTheSuperuserMadeBeforeAndCanBeRunAgain() throws SQLException {
        try (Connection admin = DriverManager.getConnection(server + "postgres", "postgres", "");
                Statement sql = admin.createStatement()) {
            sql.execute("create database inventory_b");
        }
        try (Connection admin = DriverManager.getConnection(server + "inventory_b", "postgres", "");
                Statement sql = admin.createStatement()) {
            sql.execute("create table products (id bigserial primary key, name text)");
            sql.execute("create sequence batches");
        }
        ServiceDatabase inventory = new ServiceDatabase("inventory_b", "emporium_inventory_b", "inventory-secret");

        inventory.provision(server, "postgres", "");
        inventory.provision(server, "postgres", "");

        try (Connection own = DriverManager.getConnection(server + "inventory_b", "emporium_inventory_b", "inventory-secret");
                Statement sql = own.createStatement()) {
            sql.execute("alter table products add column price numeric");
            sql.execute("insert into products (name, price) values ('mug', 5)");
            assertThat(single(sql, "select nextval('batches')")).isEqualTo("1");
        }
    }

    private static String single(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
