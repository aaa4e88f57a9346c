package dev.emporium.inventory.catalog;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MoneyTest {

    @Test
    void keepsTheCurrencysDecimals() {
        assertThat(Money.of("7.5", "EUR").amount()).isEqualTo(new BigDecimal("7.50"));
    }

    @Test
    void rejectsNegativeAmounts() {
        assertThatIllegalArgumentException().isThrownBy(() -> Money.of("-0.01", "EUR")).withMessageContaining("negative");
    }

    @Test
    void rejectsMoreDecimalsThanTheCurrencyHas() {
        assertThatIllegalArgumentException().isThrownBy(() -> Money.of("1.001", "EUR")).withMessageContaining("decimals");
    }

    @Test
    void rejectsUnknownCurrencies() {
        assertThatIllegalArgumentException().isThrownBy(() -> Money.of("1.00", "XYZ"));
    }
}
