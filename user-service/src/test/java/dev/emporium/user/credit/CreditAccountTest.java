package dev.emporium.user.credit;

import java.math.BigDecimal;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.emporium.user.account.Account.AccountId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CreditAccountTest {

    private final AccountId id = new AccountId(UUID.randomUUID());

    @Test
    void startsWithEverythingAvailable() {
        CreditAccount account = CreditAccount.open(id, new BigDecimal("1000.00"), "EUR");

        assertThat(account.available()).isEqualByComparingTo("1000.00");
    }

    @Test
    void neverLetsReservedAndUsedExceedTheLimit() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new CreditAccount(id, new BigDecimal("100.00"), new BigDecimal("60.00"), new BigDecimal("50.00"), "EUR", 1))
            .withMessageContaining("cannot exceed the limit");
    }

    @Test
    void refusesALimitBelowWhatIsAlreadyCommitted() {
        CreditAccount account = new CreditAccount(id, new BigDecimal("100.00"), new BigDecimal("30.00"), new BigDecimal("20.00"), "EUR", 1);

        assertThatIllegalArgumentException().isThrownBy(() -> account.withLimit(new BigDecimal("49.99")));
        assertThat(account.withLimit(new BigDecimal("50.00")).available()).isEqualByComparingTo("0.00");
    }
}
