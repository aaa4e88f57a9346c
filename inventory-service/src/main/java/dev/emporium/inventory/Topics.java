package dev.emporium.inventory;

import dev.emporium.inventory.stock.Messages.StockChanged;
import dev.emporium.inventory.stock.Messages.LowStock;

/**
 * Every Kafka topic inventory-service uses, named once: its own ({@code config.KafkaTopics} creates
 * them) and the saga's replies, which order-service owns (docs/asyncapi.yaml).
 */
public final class Topics {

    /** Owned: the saga's stock commands. */
    public static final String COMMANDS = "inventory-commands";
    /** Owned: {@code StockChanged} and {@code LowStock}. */
    public static final String EVENTS = "inventory-events";
    /** Owned and compacted: {@code ProductPriced}, the latest price of every product (order-service's price list). */
    public static final String PRICES = "inventory-prices";
    /** order-service's: where the replies to the saga go. */
    public static final String SAGA_REPLIES = "order-saga-replies";

    private Topics() {
    }
}
