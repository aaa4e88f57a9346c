package dev.emporium.user.credit;

import java.math.BigDecimal;
import java.util.Objects;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

import dev.emporium.user.account.Account.AccountId;

/**
 * A customer's store credit. {@code reserved + used} never exceeds the limit (the database checks it
 * too); what is left is {@link #available()}.
 */
@Table("credit_accounts")
public record CreditAccount(@Id AccountId accountId, BigDecimal creditLimit, BigDecimal reserved, BigDecimal used,
        String currency, @Version Integer version) {

    public CreditAccount {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(currency, "currency");
        if (creditLimit.signum() < 0 || reserved.signum() < 0 || used.signum() < 0) {
            throw new IllegalArgumentException("Credit amounts cannot be negative");
        }
        if (reserved.add(used).compareTo(creditLimit) > 0) {
            throw new IllegalArgumentException("Reserved and used credit (" + reserved.add(used) + " " + currency
                    + ") cannot exceed the limit of " + creditLimit + " " + currency);
        }
    }

    public static CreditAccount open(AccountId accountId, BigDecimal limit, String currency) {
        return new CreditAccount(accountId, limit, BigDecimal.ZERO.setScale(2), BigDecimal.ZERO.setScale(2), currency, null);
    }

    public BigDecimal available() {
        return creditLimit.subtract(reserved).subtract(used);
    }

    /** A new limit; it must still cover what is reserved and used. */
    public CreditAccount withLimit(BigDecimal limit) {
        if (limit.compareTo(reserved.add(used)) < 0) {
            throw new IllegalArgumentException("The limit cannot go below what is reserved and used: "
                    + reserved.add(used) + " " + currency);
        }
        return new CreditAccount(accountId, limit, reserved, used, currency, version);
    }
}
