package dev.emporium.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

import dev.emporium.launcher.Platform;

/**
 * How many database transactions and Kafka messages the benchmark's orders cost, counted by PostgreSQL
 * ({@code pg_stat_database.xact_commit} of the three service databases) and by Kafka (the end offsets
 * of every topic), read before and after each step. With batched consumers (ADR 10) both should fall
 * per order as the rate rises: one commit carries more orders.
 */
final class OrderTraffic {

    static final List<String> DATABASES = List.of("orders", "inventory", "users");

    /** The counters at one moment. */
    record Counters(long transactions, long messages) {
    }

    /** One step's counts, per order the shop took (confirmed or rejected). */
    record PerOrder(String label, int rate, long orders, double transactions, double messages) {
    }

    private final Platform platform;
    private final Map<String, PerOrder> steps = new LinkedHashMap<>();

    OrderTraffic(Platform platform) {
        this.platform = platform;
    }

    Counters read() {
        long transactions = 0;
        for (String database : DATABASES) {
            transactions += commits(database);
        }
        return new Counters(transactions, messages());
    }

    void record(String label, int rate, long orders, Counters before, Counters after) {
        if (orders > 0) {
            steps.put(label, new PerOrder(label, rate, orders, (double) (after.transactions() - before.transactions()) / orders,
                    (double) (after.messages() - before.messages()) / orders));
        }
    }

    /** The report's section: one line per step. */
    String markdown() {
        StringBuilder md = new StringBuilder("## Transactions and messages per order\n\n");
        md.append("Counted by PostgreSQL (`xact_commit` of the orders, inventory and users databases) and by Kafka (end offsets of every")
            .append(" topic) over each step, from its first order to the last decision, divided by the orders the shop took. Other")
            .append(" work in that time (the relays' idle looks, the timeout checks, admission's counts) is counted too.\n\n");
        md.append("| step | rate/s | orders | transactions per order | Kafka messages per order |\n|---|---:|---:|---:|---:|\n");
        steps.values().forEach(step -> md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f |%n", step.label(), step.rate(),
                step.orders(), step.transactions(), step.messages())));
        return md.append('\n').toString();
    }

    private long commits(String database) {
        try (Connection connection = DriverManager.getConnection(platform.jdbcUrl(database), platform.database(database).role(),
                platform.database(database).password()); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select xact_commit from pg_stat_database where datname = current_database()")) {
            row.next();
            return row.getLong(1);
        }
        catch (SQLException e) {
            throw new IllegalStateException("could not read the " + database + " database's statistics: " + e.getMessage(), e);
        }
    }

    private long messages() {
        try (Admin admin = Admin.create(platform.kafkaClientProperties())) {
            Map<String, TopicDescription> topics = admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            topics.values().forEach(topic -> topic.partitions()
                .forEach(partition -> latest.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(offset -> offset.offset()).sum();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while counting Kafka's messages", e);
        }
        catch (ExecutionException e) {
            throw new IllegalStateException("could not count Kafka's messages: " + e.getCause().getMessage(), e);
        }
    }
}
