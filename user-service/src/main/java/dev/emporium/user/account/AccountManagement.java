package dev.emporium.user.account;

import java.util.Optional;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.emporium.user.account.Account.AccountId;

/** The account use cases; the only way in. */
@Service
@Transactional(readOnly = true)
public class AccountManagement {

    private final Accounts accounts;

    AccountManagement(Accounts accounts) {
        this.accounts = accounts;
    }

    public Optional<Account> account(AccountId id) {
        return accounts.findById(id);
    }

    @Transactional
    public Account open(Account account) {
        return accounts.save(account);
    }
}
