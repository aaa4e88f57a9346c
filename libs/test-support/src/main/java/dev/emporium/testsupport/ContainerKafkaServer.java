package dev.emporium.testsupport;

import org.testcontainers.kafka.KafkaContainer;

/** Apache Kafka (KRaft) in a container, for machines with a Docker engine. */
final class ContainerKafkaServer implements KafkaServer {

    static final String IMAGE = "apache/kafka:4.1.1";

    private final KafkaContainer container;

    ContainerKafkaServer() {
        container = new KafkaContainer(IMAGE);
        container.start();
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String description() {
        return "Kafka container " + IMAGE;
    }
}
