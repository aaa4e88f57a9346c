package dev.emporium.user.credit;

import java.math.BigDecimal;
import java.util.Optional;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.emporium.user.account.Account.AccountId;
import dev.emporium.user.config.CreditSettings;

/** The credit use cases; the only way in. */
@Service
@Transactional(readOnly = true)
public class Credit {

    private final CreditAccounts accounts;
    private final CreditSettings settings;

    Credit(CreditAccounts accounts, CreditSettings settings) {
        this.accounts = accounts;
        this.settings = settings;
    }

    public Optional<CreditAccount> of(AccountId id) {
        return accounts.findById(id);
    }

    /** Every new account starts with the configured limit. Joins the caller's transaction. */
    @Transactional
    public CreditAccount open(AccountId id) {
        return accounts.save(CreditAccount.open(id, settings.startingLimit(), settings.currency()));
    }

    @Transactional
    public Optional<CreditAccount> changeLimit(AccountId id, BigDecimal limit) {
        return accounts.findById(id).map(account -> accounts.save(account.withLimit(limit.setScale(2))));
    }
}
