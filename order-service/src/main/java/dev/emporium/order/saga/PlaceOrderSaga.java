package dev.emporium.order.saga;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.emporium.messaging.Outbox;
import dev.emporium.order.config.SagaSettings;
import dev.emporium.order.order.Order;
import dev.emporium.order.order.Order.OrderId;
import dev.emporium.order.order.OrderCancelled;
import dev.emporium.order.order.OrderManagement;
import dev.emporium.order.order.OrderPlaced;
import dev.emporium.order.saga.Messages.CommitCredit;
import dev.emporium.order.saga.Messages.CommitStock;
import dev.emporium.order.saga.Messages.Line;
import dev.emporium.order.saga.Messages.OrderConfirmed;
import dev.emporium.order.saga.Messages.ReleaseCredit;
import dev.emporium.order.saga.Messages.ReleaseStock;
import dev.emporium.order.saga.Messages.ReserveCredit;
import dev.emporium.order.saga.Messages.ReserveStock;
import dev.emporium.order.saga.SagaLog.State;
import dev.emporium.order.saga.SagaLog.Step;

/**
 * The place-order saga, read top to bottom:
 * <ol>
 * <li>order PENDING -> ask inventory-service to reserve every line ({@code ReserveStock});</li>
 * <li>stock reserved -> ask user-service to reserve the total ({@code ReserveCredit});
 * stock refused -> order REJECTED;</li>
 * <li>credit reserved -> order CONFIRMED, commit both reservations, tell the world
 * ({@code OrderConfirmed}); credit refused -> give the stock back ({@code ReleaseStock}), REJECTED.</li>
 * </ol>
 * A step without a reply in time is sent again (participants are idempotent per order), and after the
 * last attempt compensated. A cancellation gives back whatever the order holds. Every decision runs in
 * the transaction of the reply (or timeout) that caused it, together with the messages it sends
 * (outbox) and a line in the order's timeline.
 */
@Component
@Transactional
public class PlaceOrderSaga {

    static final String INVENTORY = "inventory-commands";
    static final String USERS = "user-commands";
    static final String EVENTS = "order-events";

    private static final Logger log = LoggerFactory.getLogger(PlaceOrderSaga.class);

    private final OrderManagement orders;
    private final SagaLog saga;
    private final Outbox outbox;
    private final SagaSettings settings;
    private final SagaMetrics metrics;
    private final ObservationRegistry observations;
    private final Clock clock = Clock.systemUTC();

    PlaceOrderSaga(OrderManagement orders, SagaLog saga, Outbox outbox, SagaSettings settings, SagaMetrics metrics,
            ObservationRegistry observations) {
        this.orders = orders;
        this.saga = saga;
        this.outbox = outbox;
        this.settings = settings;
        this.metrics = metrics;
        this.observations = observations;
    }

    // 1. A new order: reserve its stock.

    @EventListener
    void on(OrderPlaced placed) {
        Order order = placed.order();
        Instant now = Instant.now(clock);
        saga.begin(id(order), Step.RESERVING_STOCK, now, now.plus(settings.stepTimeout()));
        send(order, INVENTORY, reserveStock(order), Step.RESERVING_STOCK);
    }

    // 2. inventory-service answered.

    public void stockReserved(UUID orderId) {
        at(orderId, Step.RESERVING_STOCK, "StockReserved").ifPresentOrElse(order -> {
            Instant now = Instant.now(clock);
            saga.record(orderId, Step.RESERVING_STOCK, "received StockReserved", now);
            saga.moveTo(orderId, Step.RESERVING_CREDIT, 1, now, now.plus(settings.stepTimeout()));
            send(order, USERS, reserveCredit(order), Step.RESERVING_CREDIT);
        }, () -> releaseIfDecidedWithout(orderId, INVENTORY, new ReleaseStock(orderId, "reserved after the order was decided")));
    }

    public void stockRefused(UUID orderId, String reason) {
        at(orderId, Step.RESERVING_STOCK, "StockReservationFailed").ifPresent(order -> {
            saga.record(orderId, Step.RESERVING_STOCK, "received StockReservationFailed: " + reason, Instant.now(clock));
            finish(orders.reject(order, "Not enough stock: " + reason));
        });
    }

    // 3. user-service answered.

    public void creditReserved(UUID orderId) {
        at(orderId, Step.RESERVING_CREDIT, "CreditReserved").ifPresentOrElse(order -> {
            saga.record(orderId, Step.RESERVING_CREDIT, "received CreditReserved", Instant.now(clock));
            Order confirmed = orders.confirm(order);
            send(confirmed, INVENTORY, new CommitStock(orderId), Step.DONE);
            send(confirmed, USERS, new CommitCredit(orderId), Step.DONE);
            send(confirmed, EVENTS, new OrderConfirmed(orderId, confirmed.customerId(), confirmed.total().amount(),
                    confirmed.total().currency()), Step.DONE);
            finish(confirmed);
        }, () -> releaseIfDecidedWithout(orderId, USERS, new ReleaseCredit(orderId, "reserved after the order was decided")));
    }

    public void creditRefused(UUID orderId, String reason) {
        at(orderId, Step.RESERVING_CREDIT, "CreditReservationFailed").ifPresent(order -> {
            saga.record(orderId, Step.RESERVING_CREDIT, "received CreditReservationFailed: " + reason, Instant.now(clock));
            send(order, INVENTORY, new ReleaseStock(orderId, "credit refused"), Step.RESERVING_CREDIT);
            finish(orders.reject(order, "Not enough credit: " + reason));
        });
    }

    /** The stock reservation ran out while credit was being reserved: give the credit back, reject. */
    public void stockExpired(UUID orderId) {
        at(orderId, Step.RESERVING_CREDIT, "StockReservationExpired").ifPresent(order -> {
            saga.record(orderId, Step.RESERVING_CREDIT, "received StockReservationExpired", Instant.now(clock));
            send(order, USERS, new ReleaseCredit(orderId, "stock reservation expired"), Step.RESERVING_CREDIT);
            finish(orders.reject(order, "The stock reservation expired before the payment was reserved"));
        });
    }

    /** A compensation was acknowledged; nothing is left to decide, but the timeline shows it. */
    public void compensated(UUID orderId, String reply) {
        saga.lock(orderId).ifPresent(state -> saga.record(orderId, state.step(), "received " + reply, Instant.now(clock)));
    }

    // 4. No reply in time: try again, then give up and compensate.

    public void timeOut(UUID orderId) {
        Optional<State> state = saga.lock(orderId);
        Optional<Order> order = orders.order(new OrderId(orderId));
        if (state.isEmpty() || state.get().step() == Step.DONE || order.isEmpty() || order.get().isTerminal()) {
            return;
        }
        Step step = state.get().step();
        Instant now = Instant.now(clock);
        if (state.get().attempts() < settings.attempts()) {
            saga.record(orderId, step, "no reply within " + settings.stepTimeout() + "; sending again", now);
            saga.moveTo(orderId, step, state.get().attempts() + 1, now, now.plus(settings.stepTimeout()));
            send(order.get(), step == Step.RESERVING_STOCK ? INVENTORY : USERS,
                    step == Step.RESERVING_STOCK ? reserveStock(order.get()) : reserveCredit(order.get()), step);
            return;
        }
        String participant = step == Step.RESERVING_STOCK ? "inventory-service" : "user-service";
        saga.record(orderId, step, "no reply after " + settings.attempts() + " attempts; compensating", now);
        if (step == Step.RESERVING_CREDIT) {
            send(order.get(), USERS, new ReleaseCredit(orderId, "timed out"), step);
        }
        send(order.get(), INVENTORY, new ReleaseStock(orderId, "timed out"), step);
        finish(orders.reject(order.get(), participant + " did not answer in time; nothing was charged"));
    }

    // 5. Cancel-order: the same machinery backwards.

    @EventListener
    void on(OrderCancelled cancelled) {
        Order order = cancelled.order();
        UUID orderId = id(order);
        Step step = saga.lock(orderId).map(State::step).orElse(Step.DONE);
        // Releases are idempotent and remembered even before a reservation: send both whatever was reached.
        send(order, USERS, new ReleaseCredit(orderId, "order cancelled"), step);
        send(order, INVENTORY, new ReleaseStock(orderId, "order cancelled"), step);
        finish(order);
    }

    // The parts.

    /**
     * A participant reserved for an order that was already decided without it: a retried command
     * refused first and granted later once stock came back, or answered after the step timed out.
     * Nothing will ever commit that reservation, so it is given back now rather than held until it
     * expires. (Repeated replies for a CONFIRMED order, or while the saga still runs, change nothing.)
     */
    private void releaseIfDecidedWithout(UUID orderId, String participant, Object release) {
        orders.order(new OrderId(orderId))
            .filter(order -> order.isTerminal() && order.status() != Order.Status.CONFIRMED)
            .ifPresent(order -> send(order, participant, release, Step.DONE));
    }

    /** The order, if its saga is at {@code expected}; otherwise the reply is late or repeated and changes nothing. */
    private Optional<Order> at(UUID orderId, Step expected, String reply) {
        Observation reading = observations.getCurrentObservation();
        if (reading != null) {
            // the Kafka consumer span of the reply: which step it answers (a span attribute, not a metric
            // tag: every record of the topic would otherwise need it, or Prometheus refuses the timer)
            reading.highCardinalityKeyValue("saga.step", expected.name());
        }
        Optional<State> state = saga.lock(orderId);
        state.filter(current -> current.step() == expected)
            .ifPresent(current -> metrics.stepAnswered(expected, reply, Duration.between(current.since(), Instant.now(clock))));
        if (state.isEmpty() || state.get().step() != expected) {
            log.info("{} for order {} ignored: its saga is {}", reply, orderId, state.map(s -> s.step().name()).orElse("unknown"));
            state.ifPresent(s -> saga.record(orderId, s.step(), "received " + reply + " (ignored: saga is " + s.step() + ")",
                    Instant.now(clock)));
            return Optional.empty();
        }
        return orders.order(new OrderId(orderId)).filter(order -> !order.isTerminal());
    }

    private void finish(Order order) {
        Instant now = Instant.now(clock);
        saga.moveTo(id(order), Step.DONE, 0, now, null);
        saga.record(id(order), Step.DONE, "order " + order.status() + (order.reason() == null ? "" : ": " + order.reason()), now);
    }

    private void send(Order order, String topic, Object message, Step step) {
        String key = id(order).toString();
        outbox.publish(topic, key, key, message);
        saga.record(id(order), step, "sent " + message.getClass().getSimpleName(), Instant.now(clock));
    }

    private static ReserveStock reserveStock(Order order) {
        return new ReserveStock(id(order), order.lines().stream().map(line -> new Line(line.productId(), line.quantity())).toList());
    }

    private static ReserveCredit reserveCredit(Order order) {
        return new ReserveCredit(id(order), order.customerId(), order.total().amount(), order.total().currency());
    }

    private static UUID id(Order order) {
        return order.id().value();
    }
}
