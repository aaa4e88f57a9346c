package dev.emporium.user.account.web;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.emporium.user.account.Account;
import dev.emporium.user.account.Account.AccountId;
import dev.emporium.user.account.AccountManagement;

@RestController
@RequestMapping("/api/users")
class AccountController {

    private final AccountManagement accounts;

    AccountController(AccountManagement accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/{id}")
    AccountResponse account(@PathVariable UUID id) {
        return accounts.account(new AccountId(id))
            .map(AccountResponse::of)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No account has the id " + id));
    }

    record AccountResponse(UUID id, String email, String name) {

        static AccountResponse of(Account account) {
            return new AccountResponse(account.id().value(), account.email(), account.name());
        }
    }
}
