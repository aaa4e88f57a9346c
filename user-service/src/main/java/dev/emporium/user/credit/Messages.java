package dev.emporium.user.credit;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * Every message user-service exchanges, in one place: the saga's commands it accepts on
 * {@code user-commands} and its replies on {@code order-saga-replies} (docs/asyncapi.yaml;
 * {@code AsyncApiContractTest} checks each against it).
 */
public final class Messages {

    // Commands the saga sends (order-service owns their schema; this is this service's copy)

    public record ReserveCredit(UUID orderId, UUID customerId, BigDecimal amount, String currency) {
    }

    public record CommitCredit(UUID orderId) {
    }

    public record ReleaseCredit(UUID orderId, String reason) {
    }

    // Replies to the saga

    /** Reply to ReserveCredit: the order's total is held against the customer's credit. */
    public record CreditReserved(UUID orderId, BigDecimal amount, String currency) {
    }

    /** Reply to ReserveCredit: nothing was reserved, and why (not enough credit, unknown customer...). */
    public record CreditReservationFailed(UUID orderId, String reason, BigDecimal available) {
    }

    /** Reply to ReleaseCredit: whatever the order held (reserved or used) is available again. */
    public record CreditReleased(UUID orderId) {
    }

    private Messages() {
    }
}
