package dev.emporium.user.account;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AccountTest {

    @Test
    void storesTheEmailAddressLowerCase() {
        assertThat(Account.open("  Ada@Example.ORG ", "Ada", "hash").email()).isEqualTo("ada@example.org");
    }

    @Test
    void opensCustomerAccounts() {
        assertThat(Account.open("ada@example.org", "Ada", "hash").role()).isEqualTo(Account.Role.CUSTOMER);
    }

    @Test
    void refusesAnAccountWithoutAnEmailAddress() {
        assertThatIllegalArgumentException().isThrownBy(() -> Account.open("ada", "Ada", "hash")).withMessageContaining("e-mail");
    }

    @Test
    void refusesAnAccountWithoutAName() {
        assertThatIllegalArgumentException().isThrownBy(() -> Account.open("ada@example.org", " ", "hash"));
    }
}
