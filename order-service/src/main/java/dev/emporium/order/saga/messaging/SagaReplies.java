package dev.emporium.order.saga.messaging;

import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.emporium.messaging.Envelope;
import dev.emporium.messaging.Inbox;
import dev.emporium.order.Topics;
import dev.emporium.order.saga.SagaOrchestrator;

/** A thin adapter: the replies of a poll, applied once through the inbox in one transaction, each a call on the saga. */
@Component
class SagaReplies {

    /** order-service's copies of the replies: only what the saga needs from each. */
    record Reply(UUID orderId) {
    }

    record Refusal(UUID orderId, String reason) {
    }

    private final Inbox inbox;
    private final SagaOrchestrator saga;

    SagaReplies(Inbox inbox, SagaOrchestrator saga) {
        this.inbox = inbox;
        this.saga = saga;
    }

    @KafkaListener(topics = Topics.SAGA_REPLIES, groupId = "order-service", batch = "true", concurrency = "${emporium.saga.consumers:3}")
    void on(List<ConsumerRecord<String, Envelope>> batch) {
        inbox.receive(batch, this::apply);
    }

    private void apply(Envelope message) {
        switch (message.type()) {
            case "StockReservationFailed", "CreditReservationFailed" -> {
                Refusal refusal = message.payload(Refusal.class);
                saga.onReply(message.type(), refusal.orderId(), refusal.reason());
            }
            default -> saga.onReply(message.type(), message.payload(Reply.class).orderId(), null);
        }
    }
}
