package dev.emporium.testsupport;

/** One Kafka broker (KRaft) per test JVM. */
public interface KafkaServer {

    String bootstrapServers();

    /** Where the broker came from, for the log line that says which infrastructure a test run used. */
    String description();
}
