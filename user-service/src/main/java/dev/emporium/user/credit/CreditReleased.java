package dev.emporium.user.credit;

import java.util.UUID;

/** Reply to ReleaseCredit: whatever the order held (reserved or used) is available again. */
public record CreditReleased(UUID orderId) {
}
