package dev.emporium.inventory.stock.messaging;

import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.emporium.inventory.Topics;
import dev.emporium.inventory.stock.Inventory;
import dev.emporium.inventory.stock.Line;
import dev.emporium.inventory.stock.Messages.CommitStock;
import dev.emporium.inventory.stock.Messages.ReleaseStock;
import dev.emporium.inventory.stock.Messages.ReserveStock;
import dev.emporium.messaging.Envelope;
import dev.emporium.messaging.Inbox;
import dev.emporium.messaging.UnreadableMessageException;

/**
 * The commands order-service sends on {@code inventory-commands}, a poll at a time: each applied once,
 * through the inbox, in one transaction per poll.
 */
@Component
class InventoryCommands {

    private final Inbox inbox;
    private final Inventory inventory;

    InventoryCommands(Inbox inbox, Inventory inventory) {
        this.inbox = inbox;
        this.inventory = inventory;
    }

    @KafkaListener(topics = Topics.COMMANDS, groupId = "inventory-service", batch = "true",
            concurrency = "${emporium.inventory.consumers:3}")
    void on(List<ConsumerRecord<String, Envelope>> batch) {
        inbox.receive(batch, this::apply);
    }

    private void apply(Envelope message) {
        switch (message.type()) {
            case "ReserveStock" -> {
                ReserveStock command = message.payload(ReserveStock.class);
                inventory.reserve(command.orderId(), command.lines());
            }
            case "CommitStock" -> inventory.commit(message.payload(CommitStock.class).orderId());
            case "ReleaseStock" -> {
                ReleaseStock command = message.payload(ReleaseStock.class);
                inventory.release(command.orderId(), command.reason());
            }
            default -> throw new UnreadableMessageException("inventory-service has no handler for " + message.type());
        }
    }
}
