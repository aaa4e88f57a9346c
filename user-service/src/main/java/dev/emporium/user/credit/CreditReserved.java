package dev.emporium.user.credit;

import java.math.BigDecimal;
import java.util.UUID;

/** Reply to ReserveCredit: the order's total is held against the customer's credit. */
public record CreditReserved(UUID orderId, BigDecimal amount, String currency) {
}
