package dev.emporium.order.checkout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limit.WindowedLimit;
import com.netflix.concurrency.limits.limit.window.PercentileSampleWindowFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.emporium.order.config.AdmissionSettings;

/**
 * Load shedding for new orders. Each order is work for three services until its saga decides; when
 * orders arrive faster than the sagas decide them, queueing them anyway makes every order slow (the
 * shopper gives up while the shop still does the work) and past that the platform decides almost
 * nothing. So a new order is refused at once, with a 503 and {@code Retry-After}, while the limit of
 * orders are PENDING: the orders already taken keep their pace, and the shopper learns in milliseconds
 * to come back.
 * <p>
 * The limit adapts ({@link AdmissionSettings#adaptive()}): every decision this instance's sagas make is a
 * sample of how long an order waited for it. Once a second, if more than a tenth of them waited longer than
 * {@code decision-target}, the limit shrinks by a tenth; otherwise, while at least half of it is in use,
 * it grows by one, up to {@code max-pending}. A fixed limit is right for one machine and one load only:
 * on a slower or busier one the same number makes a queue whose orders all wait too long. (The samples
 * compare the order's {@code placedAt}, stamped by whichever instance took it, with this instance's
 * clock: instances keep their clocks in step, as Kubernetes nodes do.)
 * <p>
 * The PENDING orders are counted in the database (every instance sees the same), at most every
 * {@code recount}; between counts this instance adds the orders it admitted since. The figure may be
 * off by the orders that other instances admitted within one {@code recount}: the limit is a guard,
 * not an exact quota.
 */
@Component
public class OrderAdmission {

    private static final Logger log = LoggerFactory.getLogger(OrderAdmission.class);
    private static final Duration LOG_EVERY = Duration.ofSeconds(10);
    /** The adaptive limit looks at the decisions of one second at a time, if there were at least this many. */
    private static final int MIN_SAMPLES = 10;

    private final LongSupplier pendingOrders;
    private final AdmissionSettings settings;
    private final LongSupplier nanoTime;
    private final Counter shed;
    private final Counter shedPlacing;
    private final Limit limit;
    private final Clock clock = Clock.systemUTC();
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
        this.shed = shedCounter("admission", meters);
        this.shedPlacing = shedCounter("placements", meters);
        this.limit = limit(settings);
        Gauge.builder("emporium.orders.admission.limit", limit, Limit::getLimit)
            .description("How many orders may be PENDING before new ones are refused (adapts to how fast the sagas decide)")
            .register(meters);
        long now = nanoTime.getAsLong();
        this.loggedAt = new AtomicLong(now - LOG_EVERY.toNanos());
        // none yet: stale from the start, so the first order counts
        this.count = new Count(0, 0, now - settings.recount().toNanos());
    }

    /**
     * Takes one more order, or refuses it.
     *
     * @throws OrdersBusyException if as many orders as the limit are PENDING already
     */
    void admit() {
        long inFlight = pending();
        int max = limit.getLimit();
        if (inFlight >= max) {
            shed.increment();
            shedSinceLog.incrementAndGet();
            logShedding(inFlight, max);
            throw new OrdersBusyException(inFlight, max, settings.retryAfter());
        }
        admitted.incrementAndGet();
    }

    /**
     * A new order refused because as many as the placement bulkhead takes were being placed at that
     * moment: counted and logged with the admission limit's refusals.
     *
     * @return what the shopper is answered
     */
    OrdersBusyException refusedPlacing(int atOnce) {
        shedPlacing.increment();
        shedSinceLog.incrementAndGet();
        if (timeToLog()) {
            log.warn("Refusing new orders with 503: {} are being placed at this moment, as many as the bulkhead order-placement"
                    + " takes; {} refused since this was last logged. Placing an order is CPU and database work in this service:"
                    + " look at its CPU and at hikaricp_connections_pending.", atOnce, shedSinceLog.getAndSet(0));
        }
        return OrdersBusyException.placingTooMany(atOnce, settings.retryAfter());
    }

    /** {@code emporium.orders.shed}, tagged with the limit that refused the orders. */
    private static Counter shedCounter(String limit, MeterRegistry meters) {
        return Counter.builder("emporium.orders.shed")
            .description("New orders refused with 503: as many orders as the admission limit were PENDING (limit=admission),"
                    + " or as many as the order-placement bulkhead takes were being placed (limit=placements)")
            .tag("limit", limit)
            .register(meters);
    }

    /** A saga of this instance decided an order: how long it waited is a sample for the adaptive limit. */
    @TransactionalEventListener
    void decided(OrderDecided decided) {
        waitedForDecision(Duration.between(decided.order().placedAt(), Instant.now(clock)));
    }

    void waitedForDecision(Duration waited) {
        long nanos = Math.max(0, waited.toNanos());
        limit.onSample(nanoTime.getAsLong() - nanos, nanos, (int) Math.min(Integer.MAX_VALUE, pending()), false);
    }

    /** The limit now. */
    int limit() {
        return limit.getLimit();
    }

    /**
     * Where admission stands now, for the administrator's page.
     *
     * @param limit how many orders may be PENDING before new ones are refused (adaptive or fixed)
     * @param pending the PENDING orders as of the last count, plus the ones this instance admitted since
     */
    public record Now(int limit, int maxPending, long pending, boolean adaptive) {
    }

    public Now now() {
        return new Now(limit.getLimit(), settings.maxPending(), pending(), settings.adaptive());
    }

    /** PENDING orders as of the last count, plus the ones this instance admitted since. */
    private long pending() {
        Count current = recounted();
        return current.pending() + admitted.get() - current.admittedBefore();
    }

    private static Limit limit(AdmissionSettings settings) {
        if (!settings.adaptive()) {
            return FixedLimit.of(settings.maxPending());
        }
        AIMDLimit decisions = AIMDLimit.newBuilder()
            .initialLimit(Math.min(AdmissionSettings.INITIAL_LIMIT, settings.maxPending()))
            .minLimit(Math.min(AdmissionSettings.MIN_LIMIT, settings.maxPending()))
            .maxLimit(settings.maxPending())
            .backoffRatio(0.9)
            .timeout(settings.decisionTarget().toNanos(), TimeUnit.NANOSECONDS)
            .build();
        return WindowedLimit.newBuilder()
            .minWindowTime(1, TimeUnit.SECONDS)
            .maxWindowTime(1, TimeUnit.SECONDS)
            .windowSize(MIN_SAMPLES)
            .sampleWindowFactory(PercentileSampleWindowFactory.of(0.9, 10_000))
            .build(decisions);
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
    private void logShedding(long inFlight, int max) {
        if (timeToLog()) {
            log.warn("Refusing new orders with 503: {} orders are PENDING, the limit is {} ({}); {} refused since this was last"
                    + " logged. The sagas decide orders more slowly than they arrive: look at the consumer lag of"
                    + " inventory-commands, user-commands and order-saga-replies, and at the services' CPU.",
                    inFlight, max, settings.adaptive() ? "adaptive: it shrinks while more than a tenth of decisions take longer than"
                            + " emporium.orders.admission.decision-target " + settings.decisionTarget().toMillis() + " ms, up to max-pending "
                            + settings.maxPending() : "emporium.orders.admission.max-pending",
                    shedSinceLog.getAndSet(0));
        }
    }

    /** Whether {@code LOG_EVERY} has passed since the last line about refused orders; true for one caller only. */
    private boolean timeToLog() {
        long now = nanoTime.getAsLong();
        long last = loggedAt.get();
        return now - last >= LOG_EVERY.toNanos() && loggedAt.compareAndSet(last, now);
    }
}
