package dev.emporium.user.credit.messaging;

import org.junit.jupiter.api.Test;

import dev.emporium.testsupport.AsyncApiContract;
import dev.emporium.user.credit.Messages.CommitCredit;
import dev.emporium.user.credit.Messages.CreditReleased;
import dev.emporium.user.credit.Messages.CreditReservationFailed;
import dev.emporium.user.credit.Messages.CreditReserved;
import dev.emporium.user.credit.Messages.ReleaseCredit;
import dev.emporium.user.credit.Messages.ReserveCredit;

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
        contract.consumes("ReserveCredit", ReserveCredit.class);
        contract.consumes("CommitCredit", CommitCredit.class);
        contract.consumes("ReleaseCredit", ReleaseCredit.class);
    }
}
