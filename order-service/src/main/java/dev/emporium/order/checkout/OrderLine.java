package dev.emporium.order.checkout;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

import org.springframework.data.relational.core.mapping.Table;

/** So many units of one product at the unit price it had when the order was placed. */
@Table("order_lines")
public record OrderLine(UUID productId, int quantity, BigDecimal unitPrice) {

    public static final int MAX_QUANTITY = 1000;

    public OrderLine {
        Objects.requireNonNull(productId, "productId");
        Objects.requireNonNull(unitPrice, "unitPrice");
        if (quantity < 1 || quantity > MAX_QUANTITY) {
            throw new IllegalArgumentException("Quantity must be 1 to " + MAX_QUANTITY + ", was " + quantity);
        }
        if (unitPrice.signum() < 0) {
            throw new IllegalArgumentException("A unit price cannot be negative");
        }
    }

    public BigDecimal subtotal() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
