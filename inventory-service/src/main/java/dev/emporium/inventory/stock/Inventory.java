package dev.emporium.inventory.stock;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.emporium.inventory.Topics;
import dev.emporium.inventory.config.InventorySettings;
import dev.emporium.inventory.stock.Messages.CommitStock;
import dev.emporium.inventory.stock.Messages.LowStock;
import dev.emporium.inventory.stock.Messages.PricedLine;
import dev.emporium.inventory.stock.Messages.StockChanged;
import dev.emporium.inventory.stock.Messages.StockReleased;
import dev.emporium.inventory.stock.Messages.StockReservationExpired;
import dev.emporium.inventory.stock.Messages.StockReservationFailed;
import dev.emporium.inventory.stock.Messages.StockReserved;
import dev.emporium.inventory.stock.Reservations.Status;
import dev.emporium.messaging.Outbox;

/**
 * The stock use cases; the only way in. Each runs in one transaction that also writes its messages
 * to the outbox: replies to the order saga on {@code order-saga-replies} (key: order id) and stock
 * events on {@code inventory-events} (key: product id).
 */
@Service
@Transactional
public class Inventory {


    private static final Logger log = LoggerFactory.getLogger(Inventory.class);

    private final StockLedger ledger;
    private final Reservations reservations;
    private final PriceCheck prices;
    private final Outbox outbox;
    private final InventorySettings settings;
    private final TransactionTemplate savepoint;
    private final Clock clock;

    Inventory(StockLedger ledger, Reservations reservations, PriceCheck prices, Outbox outbox, InventorySettings settings,
            PlatformTransactionManager transactions) {
        this.ledger = ledger;
        this.reservations = reservations;
        this.prices = prices;
        this.outbox = outbox;
        this.settings = settings;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.clock = Clock.systemUTC();
    }

    /** Opens the (empty) stock of a new product. */
    public void open(UUID productId) {
        ledger.open(productId);
    }

    @Transactional(readOnly = true)
    public Optional<StockLevel> level(UUID productId) {
        return ledger.level(productId);
    }

    @Transactional(readOnly = true)
    public Map<UUID, StockLevel> levels(List<UUID> productIds) {
        Map<UUID, StockLevel> levels = new LinkedHashMap<>();
        ledger.levels(productIds).forEach(level -> levels.put(level.productId(), level));
        return levels;
    }

    /**
     * Receives goods ({@code delta > 0}) or writes them off ({@code delta < 0}), and records who did
     * it and why in the audit trail.
     *
     * @throws UnknownProductException if the product has no stock
     * @throws IllegalArgumentException if the delta is 0
     * @throws NotEnoughStockException if the write-off is larger than what is available
     */
    public StockLevel adjust(UUID productId, int delta, String reason, String adjustedBy) {
        StockLevel before = ledger.level(productId).orElseThrow(() -> new UnknownProductException(productId));
        if (delta == 0) {
            throw new IllegalArgumentException("An adjustment must change the stock: delta cannot be 0");
        }
        if (!ledger.adjustAvailable(productId, delta)) {
            throw new NotEnoughStockException("Cannot write off " + -delta + " of product " + productId + ": only "
                    + before.available() + " available (reserved and sold units cannot be written off); nothing was changed");
        }
        ledger.recordAdjustment(productId, delta, reason, adjustedBy, Instant.now(clock));
        StockLevel after = ledger.level(productId).orElseThrow(() -> new UnknownProductException(productId));
        announceChange(after, before.available());
        return after;
    }

    @Transactional(readOnly = true)
    public Page<Adjustment> adjustments(UUID productId, Pageable page) {
        return ledger.adjustments(productId, page);
    }

    /**
     * Holds every line of the order, or none: each line is a conditional update that fails rather than
     * go below zero, and one failing line rolls back the others (to a savepoint, so the failure reply
     * still commits with the inbox entry). Lines are taken in product order so that two orders
     * touching the same products cannot deadlock. First, the prices the order was placed at are
     * confirmed: a product whose price changed refuses the reservation ({@link PriceCheck}).
     *
     * @param currency of the lines' unit prices
     */
    public void reserve(UUID orderId, List<PricedLine> requested, String currency) {
        Optional<Status> existing = reservations.lock(orderId);
        if (existing.isPresent()) {
            answerRepeatedReservation(orderId, existing.get());
            return;
        }
        List<PricedLine> given = requested == null ? List.of() : requested.stream().filter(Objects::nonNull).toList();
        List<Line> lines = merged(given.stream().map(PricedLine::line).toList());
        Optional<String> invalid = validate(lines).or(() -> prices.changedPrices(given, currency));
        if (invalid.isPresent()) {
            fail(orderId, invalid.get(), List.of());
            return;
        }
        List<StockLevel> after = new ArrayList<>(lines.size());
        boolean reserved = Boolean.TRUE.equals(savepoint.execute(status -> {
            for (Line line : lines) {
                Optional<StockLevel> level = ledger.reserve(line.productId(), line.quantity());
                if (level.isEmpty()) {
                    status.setRollbackOnly();
                    return false;
                }
                after.add(level.get());
            }
            return true;
        }));
        if (!reserved) {
            fail(orderId, "Not enough stock for every line", shortfalls(lines));
            return;
        }
        Instant now = Instant.now(clock);
        reservations.insert(orderId, Status.RESERVED, lines, now, now.plus(settings.reservationTtl()), null);
        outbox.publish(Topics.SAGA_REPLIES, orderId.toString(), orderId.toString(), new StockReserved(orderId, lines));
        for (int i = 0; i < lines.size(); i++) {
            announceChange(after.get(i), after.get(i).available() + lines.get(i).quantity());
        }
        log.debug("Reserved {} line(s) for order {}", lines.size(), orderId);
    }

    /** The reservation becomes a sale. Harmless if the reservation is unknown or no longer open. */
    public void commit(UUID orderId) {
        Optional<Status> status = reservations.lock(orderId);
        if (status.isEmpty() || status.get() != Status.RESERVED) {
            log.info("CommitStock for order {} ignored: its reservation is {}", orderId, status.map(Enum::name).orElse("unknown"));
            return;
        }
        List<StockLevel> after = reservations.lines(orderId).stream().map(line -> ledger.sell(line.productId(), line.quantity())).toList();
        reservations.moveTo(orderId, Status.COMMITTED, null, Instant.now(clock));
        // what is available did not change
        after.forEach(level -> announceChange(level, level.available()));
    }

    /**
     * Gives back whatever the order holds: reserved units, or sold ones if it was committed (a
     * cancelled order). A release for an order never reserved is remembered, so that a reservation
     * arriving after its own compensation is refused. Replies {@code StockReleased} every time.
     */
    public void release(UUID orderId, String reason) {
        Optional<Status> status = reservations.lock(orderId);
        Instant now = Instant.now(clock);
        if (status.isEmpty()) {
            reservations.insert(orderId, Status.RELEASED, List.of(), now, now, reason);
        }
        else if (status.get() == Status.RESERVED || status.get() == Status.COMMITTED) {
            List<Line> lines = reservations.lines(orderId);
            List<StockLevel> after = lines.stream()
                .map(line -> status.get() == Status.RESERVED ? ledger.unreserve(line.productId(), line.quantity())
                        : ledger.restock(line.productId(), line.quantity()))
                .toList();
            reservations.moveTo(orderId, Status.RELEASED, reason, now);
            announceReturned(lines, after);
        }
        outbox.publish(Topics.SAGA_REPLIES, orderId.toString(), orderId.toString(), new StockReleased(orderId));
    }

    /**
     * Locks the stock rows of these products and of these orders' reservations, in product order: a
     * batch of commands does this first, so that two batches over the same products cannot deadlock.
     */
    public void lockStock(Collection<UUID> productIds, Collection<UUID> orderIds) {
        if (!productIds.isEmpty() || !orderIds.isEmpty()) {
            ledger.lock(productIds, orderIds);
        }
    }

    /**
     * Releases reservations that were not committed within their time to live, and tells the order
     * side. Runs in batches. It takes the locks in the order a batch of commands takes them (the stock
     * rows in product order, then the reservations), and skips a reservation that a command or another
     * instance holds: it would otherwise wait for a command that waits for it.
     *
     * @return how many reservations expired
     */
    public int expireOverdue(int batchSize) {
        Instant now = Instant.now(clock);
        List<UUID> candidates = reservations.overdue(now, batchSize);
        if (candidates.isEmpty()) {
            return 0;
        }
        ledger.lock(List.of(), candidates);
        List<UUID> overdue = reservations.lockStillOverdue(candidates, now);
        for (UUID orderId : overdue) {
            List<Line> lines = reservations.lines(orderId);
            List<StockLevel> after = lines.stream().map(line -> ledger.unreserve(line.productId(), line.quantity())).toList();
            reservations.moveTo(orderId, Status.EXPIRED, "not committed within " + settings.reservationTtl(), now);
            outbox.publish(Topics.SAGA_REPLIES, orderId.toString(), orderId.toString(), new StockReservationExpired(orderId));
            announceReturned(lines, after);
            log.info("Reservation of order {} expired after {}; its stock is available again", orderId, settings.reservationTtl());
        }
        return overdue.size();
    }

    @Transactional(readOnly = true)
    public List<AuditFinding> audit() {
        return ledger.audit();
    }

    private void answerRepeatedReservation(UUID orderId, Status status) {
        if (status == Status.RESERVED || status == Status.COMMITTED) {
            outbox.publish(Topics.SAGA_REPLIES, orderId.toString(), orderId.toString(), new StockReserved(orderId, reservations.lines(orderId)));
        }
        else {
            fail(orderId, "The reservation of this order was already " + status.name().toLowerCase(), List.of());
        }
    }

    private void fail(UUID orderId, String reason, List<Shortfall> shortfalls) {
        outbox.publish(Topics.SAGA_REPLIES, orderId.toString(), orderId.toString(), new StockReservationFailed(orderId, reason, shortfalls));
        log.debug("Reservation for order {} refused: {} {}", orderId, reason, shortfalls);
    }

    private List<Shortfall> shortfalls(List<Line> lines) {
        Map<UUID, Integer> available = availability(lines);
        List<Shortfall> shortfalls = new ArrayList<>();
        for (Line line : lines) {
            int there = available.getOrDefault(line.productId(), 0);
            if (there < line.quantity()) {
                shortfalls.add(new Shortfall(line.productId(), line.quantity(), there));
            }
        }
        return shortfalls;
    }

    private Map<UUID, Integer> availability(List<Line> lines) {
        Map<UUID, Integer> available = new LinkedHashMap<>();
        ledger.levels(lines.stream().map(Line::productId).toList()).forEach(level -> available.put(level.productId(), level.available()));
        return available;
    }

    /** Each line's units went back to what is available. */
    private void announceReturned(List<Line> lines, List<StockLevel> after) {
        for (int i = 0; i < lines.size(); i++) {
            announceChange(after.get(i), after.get(i).available() - lines.get(i).quantity());
        }
    }

    /**
     * Publishes the product's new stock ({@code after}, as the update that changed it returned it), and
     * LowStock when this change took what is available to or below the threshold.
     */
    private void announceChange(StockLevel after, int availableBefore) {
        UUID productId = after.productId();
        String key = productId.toString();
        // Facts about a product, not steps of one order's flow: keyed by product, no correlation id
        outbox.publish(Topics.EVENTS, key, null, new StockChanged(productId, after.available(), after.reserved(), after.sold()));
        if (after.available() <= after.lowStockThreshold() && availableBefore > after.lowStockThreshold()) {
            outbox.publish(Topics.EVENTS, key, null, new LowStock(productId, after.available(), after.lowStockThreshold()));
        }
    }

    /**
     * Product ids in the order PostgreSQL sorts {@code uuid}s (byte by byte, unsigned), the order in
     * which every transaction takes stock rows. {@link UUID#compareTo} compares signed longs and puts
     * an id beginning with 8-f before one beginning with 0-7; a reservation taking its lines in that
     * order could deadlock with a batch or a release taking them in PostgreSQL's. The lowercase hex
     * form sorts as the bytes do.
     */
    static final Comparator<UUID> IN_POSTGRES_ORDER = Comparator.comparing(UUID::toString);

    private static List<Line> merged(List<Line> requested) {
        Map<UUID, Integer> quantities = new LinkedHashMap<>();
        if (requested != null) {
            for (Line line : requested) {
                if (line != null && line.productId() != null) {
                    quantities.merge(line.productId(), line.quantity(), Integer::sum);
                }
            }
        }
        return quantities.entrySet().stream()
            .map(entry -> new Line(entry.getKey(), entry.getValue()))
            .sorted(Comparator.comparing(Line::productId, IN_POSTGRES_ORDER))
            .toList();
    }

    private static Optional<String> validate(List<Line> lines) {
        if (lines.isEmpty()) {
            return Optional.of("An order needs at least one line with a product");
        }
        return lines.stream().filter(line -> line.quantity() <= 0).findFirst()
            .map(line -> "Quantity of product " + line.productId() + " must be positive, was " + line.quantity());
    }

    /** A write-off larger than the stock available now: the request is sound, the stock is not there. */
    public static class NotEnoughStockException extends RuntimeException {

        NotEnoughStockException(String message) {
            super(message);
        }
    }

    /** A product id this service does not know. */
    public static class UnknownProductException extends RuntimeException {

        public UnknownProductException(UUID productId) {
            super("No product has the id " + productId);
        }
    }
}
