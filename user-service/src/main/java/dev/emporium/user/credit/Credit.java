package dev.emporium.user.credit;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.emporium.messaging.Outbox;
import dev.emporium.user.Topics;
import dev.emporium.user.account.Account.AccountId;
import dev.emporium.user.config.CreditSettings;
import dev.emporium.user.credit.CreditLedger.Reservation;
import dev.emporium.user.credit.CreditLedger.Status;
import dev.emporium.user.credit.Messages.CommitCredit;
import dev.emporium.user.credit.Messages.CreditReleased;
import dev.emporium.user.credit.Messages.CreditReservationFailed;
import dev.emporium.user.credit.Messages.CreditReserved;

/**
 * The credit use cases; the only way in. The saga's commands (reserve, commit, release) are
 * idempotent per order and reply on {@code order-saga-replies}, keyed by order id, through the outbox.
 */
@Service
@Transactional(readOnly = true)
public class Credit {


    private static final Logger log = LoggerFactory.getLogger(Credit.class);

    private final CreditAccounts accounts;
    private final CreditLedger ledger;
    private final Outbox outbox;
    private final CreditSettings settings;
    private final Clock clock = Clock.systemUTC();

    Credit(CreditAccounts accounts, CreditLedger ledger, Outbox outbox, CreditSettings settings) {
        this.accounts = accounts;
        this.ledger = ledger;
        this.outbox = outbox;
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

    /**
     * @return the account with its new limit; empty if there is no such account
     * @throws IllegalArgumentException if the limit would not cover what is reserved and used
     */
    @Transactional
    public Optional<CreditAccount> changeLimit(AccountId id, BigDecimal limit) {
        Optional<CreditAccount> current = accounts.findById(id);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal newLimit = current.get().withLimit(limit.setScale(2)).creditLimit();
        // The same rule again, under the row lock: a reservation may have arrived since the read.
        if (!ledger.changeLimit(id.value(), newLimit)) {
            throw new IllegalArgumentException("The limit cannot go below what is reserved and used");
        }
        return accounts.findById(id);
    }

    /**
     * Locks the credit accounts of these customers and of these orders' reservations, in account
     * order: a batch of commands does this first, so that two batches over the same accounts cannot
     * deadlock.
     */
    @Transactional
    public void lockAccounts(Collection<UUID> customerIds, Collection<UUID> orderIds) {
        if (!customerIds.isEmpty() || !orderIds.isEmpty()) {
            ledger.lock(customerIds, orderIds);
        }
    }

    /** Holds the order's total against the customer's credit, or refuses and says why. */
    @Transactional
    public void reserve(UUID orderId, UUID customerId, BigDecimal amount, String currency) {
        Optional<Reservation> existing = ledger.lockReservation(orderId);
        if (existing.isPresent()) {
            Reservation held = existing.get();
            if (held.status() == Status.RELEASED) {
                fail(orderId, "The credit reservation of this order was already released", BigDecimal.ZERO);
            }
            else {
                reply(orderId, new CreditReserved(orderId, held.amount(), held.currency()));
            }
            return;
        }
        Optional<CreditAccount> account = customerId == null ? Optional.empty() : accounts.findById(new AccountId(customerId));
        if (account.isEmpty()) {
            fail(orderId, "No credit account for customer " + customerId, BigDecimal.ZERO);
            return;
        }
        if (amount == null || amount.signum() <= 0 || !account.get().currency().equals(currency)) {
            fail(orderId, "Credit is kept in " + account.get().currency() + "; cannot reserve " + amount + " " + currency,
                    account.get().available());
            return;
        }
        if (!ledger.reserve(customerId, amount)) {
            BigDecimal available = accounts.findById(new AccountId(customerId)).map(CreditAccount::available).orElse(BigDecimal.ZERO);
            fail(orderId, "Not enough credit: " + inCents(amount, currency) + " " + currency + " needed, " + inCents(available, currency) + " "
                    + currency + " available", available);
            return;
        }
        ledger.insertReservation(orderId, customerId, amount, currency, Status.RESERVED, null, Instant.now(clock));
        reply(orderId, new CreditReserved(orderId, amount, currency));
    }

    /** The reserved credit is spent. Harmless if the reservation is unknown or no longer open. */
    @Transactional
    public void commit(UUID orderId) {
        Optional<Reservation> held = ledger.lockReservation(orderId);
        if (held.isEmpty() || held.get().status() != Status.RESERVED) {
            log.info("CommitCredit for order {} ignored: its reservation is {}", orderId,
                    held.map(r -> r.status().name()).orElse("unknown"));
            return;
        }
        ledger.use(held.get().accountId(), held.get().amount());
        ledger.moveTo(orderId, Status.COMMITTED, null, Instant.now(clock));
    }

    /**
     * Gives back what the order holds: reserved credit, or used credit if it was committed (a
     * cancelled order). A release for an unknown order is remembered, so that a reservation arriving
     * after its own compensation is refused. Replies {@code CreditReleased} every time.
     */
    @Transactional
    public void release(UUID orderId, String reason) {
        Optional<Reservation> held = ledger.lockReservation(orderId);
        Instant now = Instant.now(clock);
        if (held.isEmpty()) {
            ledger.insertReservation(orderId, null, BigDecimal.ZERO, settings.currency(), Status.RELEASED, reason, now);
        }
        else if (held.get().status() == Status.RESERVED) {
            ledger.unreserve(held.get().accountId(), held.get().amount());
            ledger.moveTo(orderId, Status.RELEASED, reason, now);
        }
        else if (held.get().status() == Status.COMMITTED) {
            ledger.refund(held.get().accountId(), held.get().amount());
            ledger.moveTo(orderId, Status.RELEASED, reason, now);
        }
        reply(orderId, new CreditReleased(orderId));
    }

    private void fail(UUID orderId, String reason, BigDecimal available) {
        reply(orderId, new CreditReservationFailed(orderId, reason, available));
        log.debug("Credit for order {} refused: {}", orderId, reason);
    }

    private void reply(UUID orderId, Object message) {
        outbox.publish(Topics.SAGA_REPLIES, orderId.toString(), orderId.toString(), message);
    }

    /** An amount as the currency writes it (49.80 EUR, not 49.8), for reasons a shopper reads. */
    static String inCents(BigDecimal amount, String currency) {
        int digits;
        try {
            digits = Math.max(0, java.util.Currency.getInstance(currency).getDefaultFractionDigits());
        }
        catch (IllegalArgumentException | NullPointerException unknown) {
            digits = 2;
        }
        return amount.setScale(Math.max(digits, amount.stripTrailingZeros().scale()), java.math.RoundingMode.UNNECESSARY).toPlainString();
    }
}
