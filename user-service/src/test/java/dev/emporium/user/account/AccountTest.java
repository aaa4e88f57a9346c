package dev.emporium.user.account;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AccountTest {

    @Test
    void storesTheEmailAddressLowerCase() {
        assertThat(Account.open("  Ada@Example.ORG ", "Ada").email()).isEqualTo("ada@example.org");
    }

    @Test
    void refusesAnAccountWithoutAnEmailAddress() {
        assertThatIllegalArgumentException().isThrownBy(() -> Account.open("ada", "Ada")).withMessageContaining("e-mail");
    }

    @Test
    void refusesAnAccountWithoutAName() {
        assertThatIllegalArgumentException().isThrownBy(() -> Account.open("ada@example.org", " "));
    }
}
