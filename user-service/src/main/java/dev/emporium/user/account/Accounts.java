package dev.emporium.user.account;

import java.util.Optional;

import org.springframework.data.repository.ListCrudRepository;

import dev.emporium.user.account.Account.AccountId;

interface Accounts extends ListCrudRepository<Account, AccountId> {

    Optional<Account> findByEmail(String email);
}
