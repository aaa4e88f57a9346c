package dev.emporium.order.saga.messaging;

import java.util.UUID;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.emporium.messaging.Envelope;
import dev.emporium.messaging.Inbox;
import dev.emporium.messaging.UnreadableMessageException;
import dev.emporium.order.saga.PlaceOrderSaga;

/** A thin adapter: each reply, applied once through the inbox, becomes a call on the saga. */
@Component
class SagaReplies {

    /** order-service's copies of the replies: only what the saga needs from each. */
    record Reply(UUID orderId) {
    }

    record Refusal(UUID orderId, String reason) {
    }

    private final Inbox inbox;
    private final PlaceOrderSaga saga;

    SagaReplies(Inbox inbox, PlaceOrderSaga saga) {
        this.inbox = inbox;
        this.saga = saga;
    }

    @KafkaListener(topics = "order-saga-replies", groupId = "order-service", concurrency = "${emporium.saga.consumers:3}")
    void on(Envelope message) {
        switch (message.type()) {
            case "StockReserved" -> inbox.receive(message, Reply.class, reply -> saga.stockReserved(reply.orderId()));
            case "StockReservationFailed" -> inbox.receive(message, Refusal.class, refusal -> saga.stockRefused(refusal.orderId(), refusal.reason()));
            case "StockReservationExpired" -> inbox.receive(message, Reply.class, reply -> saga.stockExpired(reply.orderId()));
            case "CreditReserved" -> inbox.receive(message, Reply.class, reply -> saga.creditReserved(reply.orderId()));
            case "CreditReservationFailed" -> inbox.receive(message, Refusal.class, refusal -> saga.creditRefused(refusal.orderId(), refusal.reason()));
            case "StockReleased", "CreditReleased" -> inbox.receive(message, Reply.class, reply -> saga.compensated(reply.orderId(), message.type()));
            default -> throw new UnreadableMessageException("order-service has no handler for " + message.type());
        }
    }
}
