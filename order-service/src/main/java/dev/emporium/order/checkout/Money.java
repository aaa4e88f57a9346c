package dev.emporium.order.checkout;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/** An amount in one currency, never negative, with the currency's own number of decimals. */
public record Money(BigDecimal amount, String currency) {

    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Currency known = Currency.getInstance(currency);
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("An amount cannot be negative: " + amount + " " + currency);
        }
        if (amount.scale() > known.getDefaultFractionDigits()) {
            throw new IllegalArgumentException(
                    amount + " has more decimals than " + currency + " allows (" + known.getDefaultFractionDigits() + ")");
        }
        amount = amount.setScale(known.getDefaultFractionDigits());
    }

    public static Money of(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }
}
