package dev.emporium.inventory.stock.messaging;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.emporium.inventory.Topics;
import dev.emporium.inventory.stock.Inventory;
import dev.emporium.inventory.stock.Messages.CommitStock;
import dev.emporium.inventory.stock.Messages.ReleaseStock;
import dev.emporium.inventory.stock.Messages.ReserveStock;
import dev.emporium.messaging.Envelope;
import dev.emporium.messaging.Inbox;
import dev.emporium.messaging.UnreadableMessageException;

/**
 * The commands order-service sends on {@code inventory-commands}, a poll at a time: each applied once,
 * through the inbox, in one transaction per poll, which first locks the stock rows it will change in
 * product order so that two consumers' batches cannot deadlock.
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
        inbox.receive(batch, this::lockStock, this::apply);
    }

    /**
     * Before a batch of several commands runs: the stock rows they will change, locked in product
     * order. A reservation names its products; a commit or a release reaches them through the order's
     * reservation.
     */
    private void lockStock(List<Envelope> messages) {
        Set<UUID> products = new HashSet<>();
        Set<UUID> orders = new HashSet<>();
        for (Envelope message : messages) {
            try {
                switch (message.type()) {
                    case "ReserveStock" -> message.payload(ReserveStock.class).lines().forEach(line -> products.add(line.productId()));
                    case "CommitStock" -> orders.add(message.payload(CommitStock.class).orderId());
                    case "ReleaseStock" -> orders.add(message.payload(ReleaseStock.class).orderId());
                    default -> {
                        // refused when it is applied
                    }
                }
            }
            catch (UnreadableMessageException e) {
                // a payload that does not fit is dead-lettered when it is applied; it changes no rows
            }
        }
        inventory.lockStock(products, orders);
    }

    private void apply(Envelope message) {
        switch (message.type()) {
            case "ReserveStock" -> {
                ReserveStock command = message.payload(ReserveStock.class);
                inventory.reserve(command.orderId(), command.lines(), command.currency());
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
