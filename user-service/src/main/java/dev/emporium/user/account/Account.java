package dev.emporium.user.account;

import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/** Someone who can log in. The e-mail address is unique regardless of case and stored lower-case. */
@Table("accounts")
public record Account(@Id AccountId id, String email, String name, @Version Integer version) {

    public Account {
        Objects.requireNonNull(id, "id");
        if (email == null || !email.contains("@")) {
            throw new IllegalArgumentException("An account needs an e-mail address, got '" + email + "'");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("An account needs a name");
        }
        email = email.strip().toLowerCase(Locale.ROOT);
    }

    public static Account open(String email, String name) {
        return new Account(new AccountId(UUID.randomUUID()), email, name, null);
    }

    public record AccountId(UUID value) {

        public AccountId {
            Objects.requireNonNull(value, "value");
        }
    }
}
