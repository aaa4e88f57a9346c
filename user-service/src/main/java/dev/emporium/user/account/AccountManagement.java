package dev.emporium.user.account;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionOperations;

import dev.emporium.user.account.Account.AccountId;
import dev.emporium.user.account.Account.Role;
import dev.emporium.user.credit.Credit;

/** The account use cases; the only way in. */
@Service
public class AccountManagement {

    private static final Logger log = LoggerFactory.getLogger(AccountManagement.class);

    static final int MIN_PASSWORD_LENGTH = 12;
    static final int MAX_PASSWORD_LENGTH = 128;

    private final Accounts accounts;
    private final Credit credit;
    private final PasswordEncoder passwords;
    private final TransactionOperations transactions;

    AccountManagement(Accounts accounts, Credit credit, PasswordEncoder passwords, TransactionOperations transactions) {
        this.accounts = accounts;
        this.credit = credit;
        this.passwords = passwords;
        this.transactions = transactions;
    }

    /**
     * Opens a customer account with the starting store credit. Nothing in the request can choose the
     * role, the credit or the id.
     * <p>
     * The password is hashed first, outside the transaction: a hash takes tens of milliseconds, and a
     * burst of registrations waits for its turns to hash (see {@code BoundedPasswordHashing}). Inside
     * a transaction each of them would hold a pooled connection meanwhile, and the logins and the
     * credit saga's commands would wait for one. A taken address costs a hash too, so it answers no
     * sooner than a free one.
     *
     * @throws EmailTakenException if an account already uses this address (in any letter case)
     */
    public Account register(String email, String password, String name) {
        checkPasswordPolicy(password);
        String passwordHash = passwords.encode(password);
        return transactions.execute(transaction -> {
            if (accounts.findByEmail(Account.normalize(email)).isPresent()) {
                throw new EmailTakenException();
            }
            try {
                Account account = accounts.save(Account.open(email, name, passwordHash));
                credit.open(account.id());
                return account;
            }
            catch (DuplicateKeyException e) {
                throw new EmailTakenException();
            }
        });
    }

    @Transactional(readOnly = true)
    public Optional<Account> account(AccountId id) {
        return accounts.findById(id);
    }

    @Transactional(readOnly = true)
    public Optional<Account> byEmail(String email) {
        return accounts.findByEmail(Account.normalize(email));
    }

    /**
     * Creates the configured administrator, or brings their role and password in line with the
     * configuration; writes nothing when they already are (every instance runs this at start-up).
     */
    @Transactional
    public Account ensureAdministrator(String email, String password) {
        checkPasswordPolicy(password);
        Optional<Account> existing = accounts.findByEmail(Account.normalize(email));
        Account admin = existing
            .map(found -> passwords.matches(password, found.passwordHash()) ? found : found.withPasswordHash(passwords.encode(password)))
            .map(found -> found.withRole(Role.ADMIN))
            .orElseGet(() -> Account.admin(email, "Administrator", passwords.encode(password)));
        Account saved = existing.isPresent() && existing.get().equals(admin) ? admin : accounts.save(admin);
        if (credit.of(saved.id()).isEmpty()) {
            credit.open(saved.id());
        }
        log.info("Administrator {} is ready", saved.email());
        return saved;
    }

    private static void checkPasswordPolicy(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("A password needs " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH
                    + " characters");
        }
    }

    /** Registration with an address that already has an account. */
    public static class EmailTakenException extends RuntimeException {

        EmailTakenException() {
            super("An account with this e-mail address already exists");
        }
    }
}
