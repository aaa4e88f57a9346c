package dev.emporium.testsupport;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Kafka's own KRaft broker, in this JVM, on a free port. */
final class EmbeddedKafkaServer implements KafkaServer {

    private final EmbeddedKafkaKraftBroker broker;

    EmbeddedKafkaServer() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
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
