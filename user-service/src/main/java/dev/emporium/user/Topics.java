package dev.emporium.user;

/**
 * Every Kafka topic user-service uses, named once: its own ({@code config.KafkaTopics} creates it)
 * and the saga's replies, which order-service owns (docs/asyncapi.yaml).
 */
public final class Topics {

    /** Owned: the saga's credit commands. */
    public static final String COMMANDS = "user-commands";
    /** order-service's: where the replies to the saga go. */
    public static final String SAGA_REPLIES = "order-saga-replies";

    private Topics() {
    }
}
