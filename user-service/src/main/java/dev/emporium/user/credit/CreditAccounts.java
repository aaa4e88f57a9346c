package dev.emporium.user.credit;

import org.springframework.data.repository.ListCrudRepository;

import dev.emporium.user.account.Account.AccountId;

interface CreditAccounts extends ListCrudRepository<CreditAccount, AccountId> {
}
