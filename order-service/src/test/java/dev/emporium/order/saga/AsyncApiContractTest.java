package dev.emporium.order.saga;

import org.junit.jupiter.api.Test;

import dev.emporium.testsupport.AsyncApiContract;

/** order-service's commands and events are the ones docs/asyncapi.yaml describes (its replies: SagaRepliesContractTest). */
class AsyncApiContractTest {

    private final AsyncApiContract contract = AsyncApiContract.load();

    @Test
    void publishesTheDocumentedCommandsAndEvents() {
        contract.publishes(Messages.ReserveStock.class);
        contract.publishes(Messages.CommitStock.class);
        contract.publishes(Messages.ReleaseStock.class);
        contract.publishes(Messages.ReserveCredit.class);
        contract.publishes(Messages.CommitCredit.class);
        contract.publishes(Messages.ReleaseCredit.class);
        contract.publishes(Messages.OrderConfirmed.class);
    }

    /** The envelope, headers and key of every message, against libs/messaging's Envelope (order-service sends and reads it). */
    @Test
    void describesTheEnvelopeEveryMessageTravelsIn() {
        contract.wrapsEveryMessageIn(dev.emporium.messaging.Envelope.class);
    }
}
