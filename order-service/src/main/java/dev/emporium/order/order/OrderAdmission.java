package dev.emporium.order.order;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.emporium.order.config.AdmissionSettings;

/**
 * Load shedding for new orders. Each order is work for three services until its saga decides; when
 * orders arrive faster than the sagas decide them, queueing them anyway makes every order slow (the
 * shopper gives up while the shop still does the work) and past that the platform decides almost
 * nothing. So a new order is refused at once, with a 503 and {@code Retry-After}, while
 * {@code emporium.orders.admission.max-pending} orders are PENDING: the orders already taken keep
 * their pace, and the shopper learns in milliseconds to come back.
 * <p>
 * The PENDING orders are counted in the database (every instance sees the same), at most every
 * {@code recount}; between counts this instance adds the orders it admitted since. The figure may be
 * off by the orders that other instances admitted within one {@code recount}: the limit is a guard,
 * not an exact quota.
 */
@Component
class OrderAdmission {

    private static final Logger log = LoggerFactory.getLogger(OrderAdmission.class);
    private static final Duration LOG_EVERY = Duration.ofSeconds(10);

    private final LongSupplier pendingOrders;
    private final AdmissionSettings settings;
    private final LongSupplier nanoTime;
    private final Counter shed;
    private final ReentrantLock recounting = new ReentrantLock();
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong shedSinceLog = new AtomicLong();
    private final AtomicLong loggedAt;
    private volatile Count count;

    /** The last count: PENDING orders then, and how many this instance had admitted at that moment. */
    private record Count(long pending, long admittedBefore, long at) {
    }

    @Autowired
    OrderAdmission(Orders orders, AdmissionSettings settings, MeterRegistry meters) {
        this(orders::countPending, settings, meters, System::nanoTime);
    }

    OrderAdmission(LongSupplier pendingOrders, AdmissionSettings settings, MeterRegistry meters, LongSupplier nanoTime) {
        this.pendingOrders = pendingOrders;
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.shed = Counter.builder("emporium.orders.shed")
            .description("New orders refused with 503 because emporium.orders.admission.max-pending orders were PENDING")
            .register(meters);
        long now = nanoTime.getAsLong();
        this.loggedAt = new AtomicLong(now - LOG_EVERY.toNanos());
        // none yet: stale from the start, so the first order counts
        this.count = new Count(0, 0, now - settings.recount().toNanos());
    }

    /**
     * Takes one more order, or refuses it.
     *
     * @throws OrdersBusyException if {@code max-pending} orders are PENDING already
     */
    void admit() {
        Count current = recounted();
        long inFlight = current.pending() + admitted.get() - current.admittedBefore();
        if (inFlight >= settings.maxPending()) {
            shed.increment();
            shedSinceLog.incrementAndGet();
            logShedding(inFlight);
            throw new OrdersBusyException(inFlight, settings.maxPending(), settings.retryAfter());
        }
        admitted.incrementAndGet();
    }

    /** The count, taken again first if it is older than {@code recount} (by one request; the others use the last one). */
    private Count recounted() {
        Count current = count;
        if (isStale(current) && recounting.tryLock()) {
            try {
                current = count;
                if (isStale(current)) {
                    long before = admitted.get();
                    current = new Count(pendingOrders.getAsLong(), before, nanoTime.getAsLong());
                    count = current;
                }
            }
            finally {
                recounting.unlock();
            }
        }
        return current;
    }

    private boolean isStale(Count current) {
        return nanoTime.getAsLong() - current.at() >= settings.recount().toNanos();
    }

    /** At most one line every {@code LOG_EVERY}, however many orders are refused. */
    private void logShedding(long inFlight) {
        long now = nanoTime.getAsLong();
        long last = loggedAt.get();
        if (now - last >= LOG_EVERY.toNanos() && loggedAt.compareAndSet(last, now)) {
            log.warn("Refusing new orders with 503: {} orders are PENDING, the limit (emporium.orders.admission.max-pending) is {};"
                    + " {} refused since this was last logged. The sagas decide orders more slowly than they arrive: look at"
                    + " the consumer lag of inventory-commands, user-commands and order-saga-replies, and at the services' CPU.",
                    inFlight, settings.maxPending(), shedSinceLog.getAndSet(0));
        }
    }
}
