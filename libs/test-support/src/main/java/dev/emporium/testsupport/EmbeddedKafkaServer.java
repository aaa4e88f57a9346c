package dev.emporium.testsupport;

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
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "embedded-kafka-shutdown"));
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
