package dev.emporium.user.credit.messaging;

import org.junit.jupiter.api.Test;

import dev.emporium.testsupport.AsyncApiContract;
import dev.emporium.user.credit.CreditReleased;
import dev.emporium.user.credit.CreditReservationFailed;
import dev.emporium.user.credit.CreditReserved;

/** user-service's messages, both ways, are the ones docs/asyncapi.yaml describes. */
class AsyncApiContractTest {

    private final AsyncApiContract contract = AsyncApiContract.load();

    @Test
    void publishesTheDocumentedReplies() {
        contract.publishes(CreditReserved.class);
        contract.publishes(CreditReservationFailed.class);
        contract.publishes(CreditReleased.class);
    }

    @Test
    void readsOnlyDocumentedFieldsOfTheCommands() {
        contract.consumes("ReserveCredit", UserCommands.ReserveCredit.class);
        contract.consumes("CommitCredit", UserCommands.CommitCredit.class);
        contract.consumes("ReleaseCredit", UserCommands.ReleaseCredit.class);
    }
}
