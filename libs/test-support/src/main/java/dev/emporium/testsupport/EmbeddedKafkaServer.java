package dev.emporium.testsupport;

import org.springframework.boot.SpringApplication;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Kafka's own KRaft broker, in this JVM, on a free port. */
final class EmbeddedKafkaServer implements KafkaServer {

    private final EmbeddedKafkaKraftBroker broker;

    EmbeddedKafkaServer() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        // One broker: a one-partition offsets topic and no rebalance delay make consumer groups form in
        // a moment instead of seconds.
        broker.brokerProperties(java.util.Map.of("offsets.topic.num.partitions", "1", "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        // Stopped after Spring Boot has closed the test JVM's cached contexts, not beside them. With a
        // JVM shutdown hook of its own (as PostgreSQL had), the infrastructure could go while a context
        // was still stopping: its relay then waited 30 s for a connection to a database that had gone,
        // and Surefire killed the fork ("30 seconds after System.exit(0)").
        SpringApplication.getShutdownHandlers().add(broker::destroy);
    }

    @Override
    public String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    @Override
    public String description() {
        return "embedded Kafka (KRaft) at " + bootstrapServers();
    }
}
