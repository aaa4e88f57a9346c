package dev.emporium.order.pricing.messaging;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.emporium.messaging.Envelope;
import dev.emporium.messaging.Inbox;
import dev.emporium.messaging.UnreadableMessageException;
import dev.emporium.order.Topics;
import dev.emporium.order.pricing.PriceList;

/** A thin adapter: inventory-service's price announcements, a poll at a time, applied once to the price list through the inbox. */
@Component
class PriceEvents {

    /** order-service's copy of the event: only what the price list keeps. */
    record ProductPriced(UUID productId, BigDecimal amount, String currency, int version) {
    }

    private final Inbox inbox;
    private final PriceList prices;

    PriceEvents(Inbox inbox, PriceList prices) {
        this.inbox = inbox;
        this.prices = prices;
    }

    /** Also the replays of its dead letters, on a topic of order-service's own: it may read inventory-prices, not write to it. */
    @KafkaListener(topics = { Topics.INVENTORY_PRICES, Topics.INVENTORY_PRICES_REPLAYS }, groupId = "order-service", batch = "true")
    void on(List<ConsumerRecord<String, Envelope>> batch) {
        inbox.receive(batch, this::apply);
    }

    private void apply(Envelope message) {
        if (!"ProductPriced".equals(message.type())) {
            throw new UnreadableMessageException("order-service reads only ProductPriced on " + Topics.INVENTORY_PRICES + ", not " + message.type());
        }
        ProductPriced priced = message.payload(ProductPriced.class);
        if (priced.productId() == null || priced.amount() == null || priced.currency() == null) {
            throw new UnreadableMessageException("ProductPriced " + message.messageId() + " lacks its product, amount or currency: " + priced);
        }
        prices.update(priced.productId(), priced.amount(), priced.currency(), priced.version());
    }
}
