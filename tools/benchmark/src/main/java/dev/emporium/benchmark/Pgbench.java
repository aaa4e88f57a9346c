package dev.emporium.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.emporium.launcher.Platform;

/**
 * The database's ceiling: Debian's pgbench runs the SQL of one order (tools/benchmark/pgbench/*.sql,
 * one script per database) against the platform's PostgreSQL with as many connections as a service's
 * pool. One execution of a script is one order's share of that database.
 */
final class Pgbench {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

    private final Platform platform;
    private final Path results;
    private final Path scripts;
    private final Consumer<Long> running;

    Pgbench(Platform platform, Path results, Path scripts, Consumer<Long> running) {
        this.platform = platform;
        this.results = results;
        this.scripts = scripts;
        this.running = running;
    }

    static boolean installed() {
        return Stream.of("/usr/bin/pgbench", "/usr/local/bin/pgbench").map(Path::of).anyMatch(Files::isExecutable);
    }

    Ceiling run(String database, int connections, Duration time) {
        Path script = scripts.resolve(database + ".sql");
        int keys = prepareKeys(database);
        Path log = results.resolve("pgbench-" + database + ".log");
        List<String> command = new ArrayList<>(List.of("pgbench", "-h", "localhost", "-p", Integer.toString(platform.postgresPort()),
                "-U", platform.database(database).role(), "-n", "-M", "prepared", "-c", Integer.toString(connections), "-j", "2",
                "-T", Long.toString(time.toSeconds()), "-D", "products=" + keys, "-D", "accounts=" + keys, "-f", script.toString(), database));
        ProcessBuilder builder = new ProcessBuilder(platform.atTheServicesPriority(command)).redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().put("PGPASSWORD", platform.database(database).password());
        try {
            Process process = builder.start();
            running.accept(process.pid());
            boolean done = process.waitFor(time.toSeconds() + 60, TimeUnit.SECONDS);
            running.accept(null);
            String output = Files.readString(log);
            Matcher tps = TPS.matcher(output);
            Matcher failed = FAILED.matcher(output);
            if (!done || process.exitValue() != 0 || !tps.find() || (failed.find() && !failed.group(1).equals("0"))) {
                process.destroyForcibly();
                throw new IllegalStateException("pgbench on " + database + " failed; see " + log + ":\n" + output);
            }
            System.out.printf(java.util.Locale.ROOT, "emporium bench: pgbench %s: %s orders/s of this database's work%n", database, tps.group(1));
            return new Ceiling(database, Double.parseDouble(tps.group(1)), transactions(script), results.relativize(log).toString());
        }
        catch (IOException e) {
            throw new UncheckedIOException("could not run pgbench", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pgbench ran", e);
        }
    }

    /**
     * The products and shoppers the scripts pick from, numbered (pgbench draws numbers, not ids); not part
     * of an order's work. The orders database needs none: an order there refers to nothing by key.
     */
    private int prepareKeys(String database) {
        String table = switch (database) {
            case "inventory" -> "create table bench_products as select row_number() over (order by product_id)::int as n, product_id as id from stock";
            case "users" -> "create table bench_accounts as select row_number() over (order by account_id)::int as n, account_id"
                    + " from credit_accounts where credit_limit >= 1000000";
            default -> null;
        };
        if (table == null) {
            return 1;
        }
        try (Connection connection = DriverManager.getConnection(platform.jdbcUrl(database), platform.database(database).role(),
                platform.database(database).password()); Statement statement = connection.createStatement()) {
            String name = database.equals("inventory") ? "bench_products" : "bench_accounts";
            statement.execute("drop table if exists " + name);
            statement.execute(table);
            statement.execute("alter table " + name + " add primary key (n)");
            try (var count = statement.executeQuery("select count(*) from " + name)) {
                count.next();
                int keys = count.getInt(1);
                if (keys == 0) {
                    throw new IllegalStateException(name + " is empty: the order steps seed products and shoppers first");
                }
                return keys;
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("could not prepare " + database + " for pgbench: " + e.getMessage(), e);
        }
    }

    /** Transactions one execution of the script makes: each BEGIN ... COMMIT, and each statement outside one. */
    static int transactions(Path script) {
        try {
            int transactions = 0;
            boolean inTransaction = false;
            StringBuilder statement = new StringBuilder();
            for (String line : Files.readAllLines(script)) {
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("--") || text.startsWith("\\")) {
                    continue;
                }
                statement.append(text).append(' ');
                if (text.endsWith("\\gset")) {
                    statement.setLength(0); // the line that draws the ids: not part of an order
                    continue;
                }
                if (!text.endsWith(";")) {
                    continue;
                }
                String sql = statement.toString().strip().toUpperCase(java.util.Locale.ROOT);
                statement.setLength(0);
                if (sql.startsWith("BEGIN")) {
                    inTransaction = true;
                }
                else if (sql.startsWith("COMMIT")) {
                    inTransaction = false;
                    transactions++;
                }
                else if (!inTransaction) {
                    transactions++;
                }
            }
            return transactions;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
