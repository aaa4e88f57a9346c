package dev.emporium.user.credit;

import java.math.BigDecimal;
import java.util.UUID;

/** Reply to ReserveCredit: nothing was reserved, and why (not enough credit, unknown customer...). */
public record CreditReservationFailed(UUID orderId, String reason, BigDecimal available) {
}
