package dev.emporium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;
import org.springframework.boot.SpringApplication;

/**
 * Kafka's own KRaft broker, in this JVM, on a free port: Kafka's test kit (what Spring Kafka's
 * {@code EmbeddedKafkaKraftBroker} wraps), given a directory of its own.
 */
final class EmbeddedKafkaServer implements KafkaServer {

    private final KafkaClusterTestKit cluster;

    EmbeddedKafkaServer() {
        // A broker that meets a fatal error must fail the test, not end the JVM
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("The embedded Kafka broker asked to exit (" + status + "): " + message);
        });
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("The embedded Kafka broker asked to halt (" + status + "): " + message);
        });
        try {
            // The directory is removed when the broker has stopped. The kit's default one is removed by a JVM
            // shutdown hook of Kafka's that runs beside the broker's stop: its last checkpoint then failed
            // with an ERROR and a stack trace at the end of every test JVM.
            Path directory = Files.createTempDirectory("emporium-test-kafka-");
            cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).setBaseDirectory(directory).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                // One broker: a one-partition offsets topic and no rebalance delay make consumer groups form in
                // a moment instead of seconds.
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("delete.topic.enable", "true")
                .setDeleteOnClose(true)
                .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not make a directory for the embedded Kafka broker", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the embedded Kafka broker", e);
        }
        catch (Exception e) {
            throw new IllegalStateException("Could not start the embedded Kafka broker: " + e.getMessage(), e);
        }
        // Stopped after Spring Boot has closed the test JVM's cached contexts, not beside them. With a
        // JVM shutdown hook of its own (as PostgreSQL had), the infrastructure could go while a context
        // was still stopping: its relay then waited 30 s for a connection to a database that had gone,
        // and Surefire killed the fork ("30 seconds after System.exit(0)").
        SpringApplication.getShutdownHandlers().add(this::stop);
    }

    private void stop() {
        try {
            cluster.close();
        }
        catch (Exception e) {
            System.err.println("The embedded Kafka broker did not stop cleanly: " + e);
        }
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public String description() {
        return "embedded Kafka (KRaft) at " + bootstrapServers();
    }
}
