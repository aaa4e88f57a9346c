package dev.emporium.user.account;

import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * Someone who can log in. The e-mail address is unique regardless of case and stored lower-case; the
 * password is kept only as an Argon2id hash.
 */
@Table("accounts")
public record Account(@Id AccountId id, String email, String name, String passwordHash, Role role, @Version Integer version) {

    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        if (email == null || !email.contains("@")) {
            throw new IllegalArgumentException("An account needs an e-mail address, got '" + email + "'");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("An account needs a name");
        }
        email = normalize(email);
    }

    public static Account open(String email, String name, String passwordHash) {
        return new Account(new AccountId(UUID.randomUUID()), email, name, passwordHash, Role.CUSTOMER, null);
    }

    public static Account admin(String email, String name, String passwordHash) {
        return new Account(new AccountId(UUID.randomUUID()), email, name, passwordHash, Role.ADMIN, null);
    }

    Account withPasswordHash(String hash) {
        return new Account(id, email, name, hash, role, version);
    }

    Account withRole(Role newRole) {
        return new Account(id, email, name, passwordHash, newRole, version);
    }

    /** How e-mail addresses are compared: trimmed and lower-case. */
    public static String normalize(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    public record AccountId(UUID value) {

        public AccountId {
            Objects.requireNonNull(value, "value");
        }
    }

    public enum Role {
        CUSTOMER, ADMIN
    }
}
