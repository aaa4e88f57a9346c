package dev.emporium.order.saga;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.emporium.messaging.Outbox;
import dev.emporium.messaging.UnreadableMessageException;
import dev.emporium.order.Topics;
import dev.emporium.order.checkout.Order.OrderId;
import dev.emporium.order.checkout.Order;
import dev.emporium.order.checkout.OrderCancelled;
import dev.emporium.order.checkout.OrderManagement;
import dev.emporium.order.checkout.OrderPlaced;
import dev.emporium.order.config.SagaSettings;
import dev.emporium.order.saga.SagaLog.State;

import static dev.emporium.order.saga.PlaceOrderSaga.ORDER;
import static dev.emporium.order.saga.PlaceOrderSaga.STEPS;
import static dev.emporium.order.saga.PlaceOrderSaga.id;

/**
 * Runs {@link PlaceOrderSaga}'s step table: sends every step's command when an order is placed,
 * follows the replies, retries and times out the steps still awaited, compensates, cancels. Nothing
 * here names a step: all of it is the same for every entry of the table.
 * <p>
 * Every decision runs in the transaction of the reply (or timeout, or cancellation) that caused it,
 * together with the messages it sends (outbox) and its lines in the order's timeline; the saga's row
 * is locked first, so a reply and a timeout for one order cannot both act.
 */
@Component
@Transactional
public class SagaOrchestrator {

    private static final Logger log = LoggerFactory.getLogger(SagaOrchestrator.class);

    private final OrderManagement orders;
    private final SagaLog saga;
    private final Outbox outbox;
    private final SagaSettings settings;
    private final SagaMetrics metrics;
    private final ObservationRegistry observations;
    private final Clock clock = Clock.systemUTC();

    SagaOrchestrator(OrderManagement orders, SagaLog saga, Outbox outbox, SagaSettings settings, SagaMetrics metrics,
            ObservationRegistry observations) {
        this.orders = orders;
        this.saga = saga;
        this.outbox = outbox;
        this.settings = settings;
        this.metrics = metrics;
        this.observations = observations;
    }

    /** A new order: every step's command leaves now. */
    @EventListener
    void on(OrderPlaced placed) {
        Order order = placed.order();
        Instant now = Instant.now(clock);
        saga.begin(id(order), STEPS.stream().map(SagaStep::name).toList(), now, now.plus(settings.stepTimeout()));
        STEPS.forEach(step -> send(order, step.topic(), step.command().apply(order), step.name()));
    }

    /**
     * A participant answered.
     *
     * @param reason the participant's reason, for a refusal; null otherwise
     * @throws UnreadableMessageException for a reply no step of the table knows
     */
    public void onReply(String reply, UUID orderId, String reason) {
        SagaStep step = STEPS.stream()
            .filter(each -> reply.equals(each.completedBy()) || each.failedBy().containsKey(reply) || reply.equals(each.compensatedBy()))
            .findFirst()
            .orElseThrow(() -> new UnreadableMessageException("The place-order saga has no step answered by " + reply));
        label(step);
        String received = reply + (reason == null ? "" : ": " + reason);
        Optional<State> state = saga.lock(orderId);
        Optional<Order> order = orders.order(new OrderId(orderId));
        if (state.isEmpty() || order.isEmpty()) {
            log.info("{} for order {} ignored: order-service has no saga for it", received, orderId);
            return;
        }
        Instant now = Instant.now(clock);
        if (reply.equals(step.compensatedBy())) {
            // nothing is left to decide, but the timeline shows it
            saga.record(orderId, step.name(), "received " + reply, now);
            return;
        }
        if (!state.get().running() || order.get().isTerminal()) {
            saga.record(orderId, step.name(), "received " + received + " (the order was already " + order.get().status() + ")", now);
            if (reply.equals(step.completedBy())) {
                releaseIfDecidedWithout(order.get(), step);
            }
            return;
        }
        if (reply.equals(step.completedBy())) {
            completed(step, reply, state.get(), order.get(), now);
        }
        else {
            failed(step, reply, received, state.get(), order.get(), now, step.failure(reply, reason).orElseThrow());
        }
    }

    private void completed(SagaStep step, String reply, State state, Order order, Instant now) {
        UUID orderId = id(order);
        if (!state.awaiting().contains(step.name())) {
            saga.record(orderId, step.name(), "received " + reply + " again (ignored)", now);
            return;
        }
        metrics.stepAnswered(step.name(), reply, Duration.between(state.since(), now));
        saga.record(orderId, step.name(), "received " + reply, now);
        List<String> awaiting = new ArrayList<>(state.awaiting());
        awaiting.remove(step.name());
        if (!awaiting.isEmpty()) {
            saga.awaitOnly(orderId, awaiting);
            return;
        }
        Order confirmed = orders.confirm(order);
        STEPS.forEach(each -> send(confirmed, each.topic(), each.commit().apply(orderId), each.name()));
        send(confirmed, Topics.EVENTS, PlaceOrderSaga.confirmed(confirmed), ORDER);
        finish(confirmed);
    }

    private void failed(SagaStep step, String reply, String received, State state, Order order, Instant now, String rejection) {
        if (state.awaiting().contains(step.name())) {
            metrics.stepAnswered(step.name(), reply, Duration.between(state.since(), now));
        }
        saga.record(id(order), step.name(), "received " + received, now);
        String why = step.name().toLowerCase().replace('_', ' ') + " failed";
        STEPS.stream().filter(other -> other != step).forEach(other -> compensate(order, other, why));
        finish(orders.reject(order, rejection));
    }

    /** No reply in time: send the awaited steps' commands again, or after the last attempt give up and compensate. */
    public void timeOut(UUID orderId) {
        Optional<State> state = saga.lock(orderId);
        Optional<Order> order = orders.order(new OrderId(orderId));
        if (state.isEmpty() || !state.get().running() || order.isEmpty() || order.get().isTerminal()) {
            return;
        }
        Instant now = Instant.now(clock);
        List<SagaStep> silent = STEPS.stream().filter(step -> state.get().awaiting().contains(step.name())).toList();
        if (state.get().attempts() < settings.attempts()) {
            for (SagaStep step : silent) {
                saga.record(orderId, step.name(), "no reply within " + settings.stepTimeout() + "; sending again", now);
                send(order.get(), step.topic(), step.command().apply(order.get()), step.name());
            }
            saga.retried(orderId, state.get().attempts() + 1, now, now.plus(settings.stepTimeout()));
            return;
        }
        silent.forEach(step -> saga.record(orderId, step.name(), "no reply after " + settings.attempts() + " attempts; compensating", now));
        STEPS.forEach(step -> compensate(order.get(), step, "timed out"));
        String participants = silent.stream().map(SagaStep::participant).distinct().collect(Collectors.joining(" and "));
        log.warn("Order {} rejected: {} did not answer {} in {} attempts, {} apart (is it running, and are its consumers reading {}?)",
                orderId, participants, silent.stream().map(SagaStep::name).toList(), settings.attempts(), settings.stepTimeout(),
                silent.stream().map(SagaStep::topic).distinct().toList());
        finish(orders.reject(order.get(), participants + " did not answer in time; nothing was charged"));
    }

    /**
     * The order was cancelled: every step is compensated, whatever it reached (compensations are
     * idempotent and remembered even before the step's command arrives).
     */
    @EventListener
    void on(OrderCancelled cancelled) {
        Order order = cancelled.order();
        saga.lock(id(order));
        STEPS.reversed().forEach(step -> compensate(order, step, "order cancelled"));
        finish(order);
    }

    /**
     * A step completed for an order already decided without it: a retried command refused first and
     * granted later, or answered after the saga timed out. Nothing will ever commit it, so it is
     * undone now rather than held until it expires. (A repeated reply for a CONFIRMED order changes
     * nothing.)
     */
    private void releaseIfDecidedWithout(Order order, SagaStep step) {
        if (order.isTerminal() && order.status() != Order.Status.CONFIRMED) {
            compensate(order, step, "reserved after the order was decided");
        }
    }

    /** The Kafka consumer span of the reply says which step it answers (a span attribute: no metric tag per record). */
    private void label(SagaStep step) {
        Observation reading = observations.getCurrentObservation();
        if (reading != null) {
            reading.highCardinalityKeyValue("saga.step", step.name());
        }
    }

    private void compensate(Order order, SagaStep step, String why) {
        send(order, step.topic(), step.compensation().apply(id(order), why), step.name());
    }

    private void finish(Order order) {
        Instant now = Instant.now(clock);
        saga.finish(id(order), now);
        saga.record(id(order), ORDER, "order " + order.status() + (order.reason() == null ? "" : ": " + order.reason()), now);
    }

    private void send(Order order, String topic, Object message, String step) {
        String key = id(order).toString();
        outbox.publish(topic, key, key, message);
        saga.record(id(order), step, "sent " + message.getClass().getSimpleName(), Instant.now(clock));
    }
}
