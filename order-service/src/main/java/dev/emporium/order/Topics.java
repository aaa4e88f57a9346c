package dev.emporium.order;

/**
 * Every Kafka topic order-service uses, named once: its own ({@code config.KafkaTopics} creates them)
 * and its participants' command topics, which inventory-service and user-service own (docs/asyncapi.yaml).
 */
public final class Topics {

    /** Owned: the participants' replies to the saga, keyed by order id. */
    public static final String SAGA_REPLIES = "order-saga-replies";
    /** Owned: {@code OrderConfirmed} for the world. */
    public static final String EVENTS = "order-events";
    /** inventory-service's: the saga's stock commands. */
    public static final String INVENTORY_COMMANDS = "inventory-commands";
    /** user-service's: the saga's credit commands. */
    public static final String USER_COMMANDS = "user-commands";
    /** inventory-service's: {@code ProductPriced}, which keeps the price list. */
    public static final String INVENTORY_PRICES = "inventory-prices";
    /**
     * Owned: where a dead-lettered {@code ProductPriced} is replayed, read by the same listener, so
     * that order-service never writes to inventory-service's topic (the messaging library creates it).
     */
    public static final String INVENTORY_PRICES_REPLAYS = INVENTORY_PRICES + ".replay";

    private Topics() {
    }
}
