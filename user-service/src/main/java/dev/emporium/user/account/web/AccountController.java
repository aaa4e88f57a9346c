package dev.emporium.user.account.web;

import java.math.BigDecimal;
import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.CodePointLength;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.emporium.security.Tokens;
import dev.emporium.web.Access;
import dev.emporium.user.account.Account;
import dev.emporium.user.account.Account.AccountId;
import dev.emporium.user.account.AccountManagement;
import dev.emporium.user.account.AccountManagement.EmailTakenException;
import dev.emporium.user.credit.Credit;
import dev.emporium.user.credit.CreditAccount;

@RestController
@Tag(name = "Accounts", description = "Registration, the signed-in customer's account and credit, and credit limits")
@RequestMapping("/api/users")
class AccountController {

    private final AccountManagement accounts;
    private final Credit credit;

    AccountController(AccountManagement accounts, Credit credit) {
        this.accounts = accounts;
        this.credit = credit;
    }

    /** Only these three fields: a body that also sends roles, credit or an id changes nothing. */
    @Schema(description = "A new customer account")
    record RegisterRequest(@Schema(example = "ada@example.com") @NotBlank @Email @CodePointLength(max = 320) String email,
            @Schema(description = "12 to 128 characters", example = "correct horse battery") @NotNull @CodePointLength(min = 12, max = 128) String password,
            @Schema(example = "Ada Lovelace") @NotBlank @CodePointLength(max = 200) String name) {
    }

    record CreditLimitRequest(@Schema(description = "The new limit, in the account's currency", example = "2500.00")
            @NotNull @DecimalMin("0.00") @Digits(integer = 10, fraction = 2) BigDecimal limit) {
    }

    @Schema(description = "An account and its credit")
    record AccountResponse(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) UUID id,
            @Schema(example = "ada@example.com", requiredMode = Schema.RequiredMode.REQUIRED) String email,
            @Schema(example = "Ada Lovelace", requiredMode = Schema.RequiredMode.REQUIRED) String name,
            @Schema(description = "CUSTOMER or ADMIN", allowableValues = { "CUSTOMER", "ADMIN" }, requiredMode = Schema.RequiredMode.REQUIRED) String role,
            @Schema(description = "Null for an account without a credit line", nullable = true) CreditResponse credit) {
    }

    @Schema(description = "What the account may spend: available = limit - reserved - used")
    record CreditResponse(@Schema(example = "1000.00") BigDecimal limit,
            @Schema(description = "Held for orders whose saga has not finished", example = "25.00") BigDecimal reserved,
            @Schema(description = "Spent on confirmed orders", example = "100.00") BigDecimal used,
            @Schema(example = "875.00") BigDecimal available,
            @Schema(description = "ISO 4217", example = "EUR") String currency) {

        static CreditResponse of(CreditAccount account) {
            return new CreditResponse(account.creditLimit(), account.reserved(), account.used(), account.available(),
                    account.currency());
        }
    }

    /** Registers a customer with the demo credit line. Limited per client address (10 an hour by default). */
    @PostMapping("/register")
    @Operation(operationId = "registerCustomer", summary = "Register a customer account")
    @Access(Access.Level.ANONYMOUS)
    @ApiResponse(responseCode = "201", description = "The account, created; its URL in Location")
    @ApiResponse(responseCode = "409", description = "An account with this e-mail address exists")
    @ApiResponse(responseCode = "429", description = "Too many registrations or requests from this address; retry after `Retry-After` seconds")
    ResponseEntity<AccountResponse> register(@Valid @RequestBody RegisterRequest request) {
        Account account = accounts.register(request.email(), request.password(), request.name());
        return ResponseEntity.created(URI.create("/api/users/" + account.id().value())).body(view(account));
    }

    /** The caller's own account. */
    @GetMapping("/me")
    @Operation(operationId = "getMe", summary = "The signed-in account, with its credit")
    @ApiResponse(responseCode = "200", description = "The caller's account")
    @ApiResponse(responseCode = "404", description = "The token's account no longer exists")
    AccountResponse me(@AuthenticationPrincipal Jwt caller) {
        return accounts.account(new AccountId(UUID.fromString(caller.getSubject())))
            .map(this::view)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "Your account no longer exists; register again or ask an administrator"));
    }

    /** Your own account, or anyone's for an administrator; to everyone else it does not exist. */
    @GetMapping("/{id}")
    @Operation(operationId = "getAccount", summary = "One account by id")
    @ApiResponse(responseCode = "200", description = "The account")
    @ApiResponse(responseCode = "404", description = "No such account, or not the caller's")
    AccountResponse account(@PathVariable UUID id, @AuthenticationPrincipal Jwt caller) {
        boolean allowed = isAdmin(caller) || caller.getSubject().equals(id.toString());
        return accounts.account(new AccountId(id))
            .filter(account -> allowed)
            .map(this::view)
            .orElseThrow(() -> notFound(id));
    }

    /** Sets an account's credit limit. */
    @PostMapping("/{id}/credit")
    @Operation(operationId = "changeCreditLimit", summary = "Set an account's credit limit")
    @Access(Access.Level.ADMINISTRATOR)
    @ApiResponse(responseCode = "200", description = "The account with its new limit")
    @ApiResponse(responseCode = "404", description = "No such account")
    AccountResponse changeCreditLimit(@PathVariable UUID id, @Valid @RequestBody CreditLimitRequest request) {
        credit.changeLimit(new AccountId(id), request.limit()).orElseThrow(() -> notFound(id));
        return accounts.account(new AccountId(id)).map(this::view).orElseThrow(() -> notFound(id));
    }

    @ExceptionHandler(EmailTakenException.class)
    ProblemDetail emailTaken(EmailTakenException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    private AccountResponse view(Account account) {
        return new AccountResponse(account.id().value(), account.email(), account.name(), account.role().name(),
                credit.of(account.id()).map(CreditResponse::of).orElse(null));
    }

    private static boolean isAdmin(Jwt caller) {
        return Tokens.hasRole(caller, "ADMIN");
    }

    private static ResponseStatusException notFound(UUID id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No account has the id " + id);
    }
}
