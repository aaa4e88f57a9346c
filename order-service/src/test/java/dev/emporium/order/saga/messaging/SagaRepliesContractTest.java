package dev.emporium.order.saga.messaging;

import org.junit.jupiter.api.Test;

import dev.emporium.testsupport.AsyncApiContract;

/** What order-service reads from each reply is documented in docs/asyncapi.yaml. */
class SagaRepliesContractTest {

    private final AsyncApiContract contract = AsyncApiContract.load();

    @Test
    void readsOnlyDocumentedFieldsOfTheReplies() {
        for (String reply : new String[] { "StockReserved", "StockReservationExpired", "StockReleased", "CreditReserved", "CreditReleased" }) {
            contract.consumes(reply, SagaReplies.Reply.class);
        }
        contract.consumes("StockReservationFailed", SagaReplies.Refusal.class);
        contract.consumes("CreditReservationFailed", SagaReplies.Refusal.class);
    }
}
