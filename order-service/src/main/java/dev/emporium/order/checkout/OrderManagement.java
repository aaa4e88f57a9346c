package dev.emporium.order.checkout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionOperations;

import dev.emporium.order.checkout.Order.OrderId;
import dev.emporium.order.pricing.InventoryPrices.Price;
import dev.emporium.order.pricing.PriceList;

/** The order use cases; the only way in. */
@Service
public class OrderManagement {

    /** One line of an order as the shopper asks for it. */
    public record Requested(UUID productId, int quantity) {
    }

    /** The order for a request, and whether this request created it or repeated an earlier one. */
    public record Placement(Order order, boolean created) {
    }

    private final Orders orders;
    private final OrderRows rows;
    private final IdempotencyKeys keys;
    private final PriceList prices;
    private final ApplicationEventPublisher events;
    private final OrderAdmission admission;
    private final Bulkhead placements;
    private final TransactionOperations transactions;
    /**
     * Whole microseconds, as PostgreSQL keeps a timestamp: the order answered at its placement is the
     * order every later read returns, {@code placedAt} included.
     */
    private final Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));

    /**
     * The Resilience4j bulkhead of placements under way at once. A placement is mostly CPU (the request,
     * the price list, the transaction) and needs database connections: past this many at once, more
     * only queue for the CPU and the pool, every shopper waits seconds and some time out, so the next is
     * refused at once instead (503 + {@code Retry-After}), as {@link OrderAdmission} refuses one when
     * too many wait for their saga.
     */
    static final String PLACEMENTS = "order-placement";

    OrderManagement(Orders orders, OrderRows rows, IdempotencyKeys keys, PriceList prices, ApplicationEventPublisher events,
            OrderAdmission admission, BulkheadRegistry bulkheads, TransactionOperations transactions) {
        this.orders = orders;
        this.rows = rows;
        this.keys = keys;
        this.prices = prices;
        this.events = events;
        this.admission = admission;
        this.placements = bulkheads.bulkhead(PLACEMENTS);
        this.transactions = transactions;
    }

    /**
     * Looks for an earlier request with the same key, admits the order (or refuses it), prices the
     * lines from the price list ({@link PriceList}: a synchronous call to inventory-service only for a
     * product it does not list yet), and only then opens a transaction: it claims the key, saves the
     * order PENDING and starts its saga. No database connection is held while inventory-service
     * answers (up to a second per attempt, three attempts): ten slow pricings would otherwise take the
     * whole pool, and the saga's replies, the relay and every read would queue behind them. The same
     * key with the same request returns the first order, even while new orders are refused.
     *
     * @throws IdempotencyKeyReusedException if the key was used before for a different request
     * @throws OrdersBusyException if too many orders wait for their saga (see {@link OrderAdmission}), or
     *         too many are being placed at this moment (see {@link #PLACEMENTS}); nothing is written
     * @throws dev.emporium.order.pricing.PricingUnavailableException if inventory-service cannot price it now (nothing is written)
     */
    public Placement place(UUID customerId, String idempotencyKey, List<Requested> requested) {
        List<Requested> lines = merged(requested);
        String hash = hash(lines);
        Optional<Placement> earlier = earlier(customerId, idempotencyKey, hash);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        try {
            return placements.executeSupplier(() -> placed(customerId, idempotencyKey, hash, lines));
        }
        catch (BulkheadFullException e) {
            throw admission.refusedPlacing(placements.getBulkheadConfig().getMaxConcurrentCalls());
        }
    }

    private Placement placed(UUID customerId, String idempotencyKey, String hash, List<Requested> lines) {
        admission.admit();
        Map<UUID, Price> priced = prices.of(lines.stream().map(Requested::productId).toList());
        Set<String> currencies = priced.values().stream().map(Price::currency).collect(Collectors.toSet());
        if (currencies.size() != 1) {
            throw new IllegalArgumentException("All products of one order must be priced in one currency, got " + currencies);
        }
        List<OrderLine> orderLines = lines.stream()
            .map(line -> new OrderLine(line.productId(), line.quantity(), priced.get(line.productId()).amount()))
            .toList();
        Order order = Order.place(customerId, orderLines, currencies.iterator().next(), Instant.now(clock));
        return transactions.execute(transaction -> {
            if (!keys.claim(customerId, idempotencyKey, hash, order.id().value(), order.placedAt())) {
                // Another request with this key committed while this one was pricing.
                return earlier(customerId, idempotencyKey, hash).orElseThrow();
            }
            Order saved = rows.insert(order);
            events.publishEvent(new OrderPlaced(saved));
            return new Placement(saved, true);
        });
    }

    /**
     * Cancels a pending or confirmed order and gives back what it holds; cancelling twice changes nothing.
     * The order's saga row and then its own row are locked first, in the order the saga locks them: a
     * saga deciding the same order at the same moment is waited for (and its decision read), instead of
     * failing the cancellation with a conflict or a deadlock.
     */
    @Transactional
    public Optional<Order> cancel(OrderId id, String reason) {
        orders.lockSagaRow(id.value());
        if (orders.lockRow(id.value()).isEmpty()) {
            return Optional.empty();
        }
        return rows.find(id).map(order -> {
            if (order.status() == Order.Status.CANCELLED) {
                return order;
            }
            Order cancelled = written(order.cancel(reason));
            events.publishEvent(new OrderCancelled(cancelled));
            return cancelled;
        });
    }

    /**
     * The saga's verdicts; only the saga calls these, in the transaction of the reply that decided,
     * with the order it read in that transaction.
     *
     * @throws OptimisticLockingFailureException if the order changed after it was read (a cancellation)
     */
    @Transactional
    public Order confirm(Order pending) {
        return decided(written(pending.confirm()));
    }

    @Transactional
    public Order reject(Order pending, String reason) {
        return decided(written(pending.reject(reason)));
    }

    /** Writes the new status of an order read earlier, unless it changed meanwhile. */
    private Order written(Order changed) {
        if (rows.writeStatus(changed) != 1) {
            throw new OptimisticLockingFailureException("Order " + changed.id().value() + " changed after it was read (version "
                    + changed.version() + "); " + changed.status() + " was not written and the transaction rolls back.");
        }
        return changed.nextVersion();
    }

    private Order decided(Order order) {
        events.publishEvent(new OrderDecided(order));
        return order;
    }

    /** Of these orders, the ones no longer PENDING (decided, perhaps by another instance). */
    @Transactional(readOnly = true)
    public List<UUID> decidedAmong(Collection<UUID> ids) {
        return ids.isEmpty() ? List.of() : orders.decidedAmong(ids);
    }

    @Transactional(readOnly = true)
    public Page<Order> orders(Pageable pageable) {
        return orders.findAll(pageable);
    }

    @Transactional(readOnly = true)
    public Page<Order> ordersOf(UUID customerId, Pageable pageable) {
        return orders.findByCustomerId(customerId, pageable);
    }

    /** How many orders are in each status; every status is a key, with 0 where there are none. */
    @Transactional(readOnly = true)
    public Map<Order.Status, Long> countByStatus() {
        Map<Order.Status, Long> counts = new java.util.EnumMap<>(Order.Status.class);
        for (Order.Status status : Order.Status.values()) {
            counts.put(status, 0L);
        }
        orders.countEachStatus().forEach(count -> counts.put(count.status(), count.orders()));
        return counts;
    }

    /** One statement, consistent on its own: no transaction around it (a BEGIN and a COMMIT more per read). */
    public Optional<Order> order(OrderId id) {
        return rows.find(id);
    }

    private Optional<Placement> earlier(UUID customerId, String key, String hash) {
        return keys.find(customerId, key).map(claim -> {
            if (!claim.requestHash().equals(hash)) {
                throw new IdempotencyKeyReusedException();
            }
            return new Placement(rows.find(new OrderId(claim.orderId())).orElseThrow(), false);
        });
    }

    private static List<Requested> merged(List<Requested> requested) {
        Map<UUID, Integer> quantities = new LinkedHashMap<>();
        for (Requested line : requested) {
            quantities.merge(line.productId(), line.quantity(), Integer::sum);
        }
        List<Requested> lines = new ArrayList<>();
        quantities.forEach((product, quantity) -> lines.add(new Requested(product, quantity)));
        lines.sort(java.util.Comparator.comparing(Requested::productId));
        return lines;
    }

    private static String hash(List<Requested> lines) {
        try {
            String canonical = lines.stream().map(line -> line.productId() + "x" + line.quantity()).collect(Collectors.joining(","));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Idempotency-Key was used before with a different request body. */
    public static class IdempotencyKeyReusedException extends RuntimeException {

        IdempotencyKeyReusedException() {
            super("This Idempotency-Key was already used for a different order; use a new key for a new order");
        }
    }
}
