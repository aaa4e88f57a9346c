package dev.emporium.order.saga;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.emporium.order.checkout.Order;

/**
 * One entry of a saga's step table: who does it, the command that asks, the replies that complete or
 * fail it, the command that undoes it, and the one that makes it final once the saga succeeds. Read
 * by {@link SagaOrchestrator}, which sends, retries, times out, compensates and cancels the same way
 * for every step.
 *
 * @param name the step's name in the saga's state and timeline, e.g. {@code RESERVE_STOCK}
 * @param participant the service that does it, named to the shopper when it does not answer
 * @param topic where its commands go
 * @param command what asks the participant to do it, for an order
 * @param completedBy the reply that says it is done
 * @param failedBy the replies that say it cannot be, each with the order's rejection reason made from
 *        the participant's own reason (null when the reply carries none)
 * @param compensation what undoes it (idempotent, and remembered by the participant even when it
 *        arrives before the step's command), for an order id and why
 * @param compensatedBy the reply that acknowledges the compensation
 * @param commit what makes it final once every step is done, for an order id
 */
record SagaStep(String name, String participant, String topic, Function<Order, Object> command, String completedBy,
        Map<String, Function<String, String>> failedBy, BiFunction<UUID, String, Object> compensation, String compensatedBy,
        Function<UUID, Object> commit) {

    static SagaStep step(String name) {
        return new SagaStep(name, null, null, null, null, Map.of(), null, null, null);
    }

    SagaStep at(String participant, String topic) {
        return new SagaStep(name, participant, topic, command, completedBy, failedBy, compensation, compensatedBy, commit);
    }

    SagaStep sends(Function<Order, Object> command) {
        return new SagaStep(name, participant, topic, command, completedBy, failedBy, compensation, compensatedBy, commit);
    }

    SagaStep completedBy(String reply) {
        return new SagaStep(name, participant, topic, command, reply, failedBy, compensation, compensatedBy, commit);
    }

    SagaStep failedBy(String reply, Function<String, String> reason) {
        Map<String, Function<String, String>> failures = new LinkedHashMap<>(failedBy);
        failures.put(reply, reason);
        return new SagaStep(name, participant, topic, command, completedBy, Map.copyOf(failures), compensation, compensatedBy, commit);
    }

    SagaStep compensatedBy(BiFunction<UUID, String, Object> compensation, String acknowledgedBy) {
        return new SagaStep(name, participant, topic, command, completedBy, failedBy, compensation, acknowledgedBy, commit);
    }

    SagaStep committedBy(Function<UUID, Object> commit) {
        return new SagaStep(name, participant, topic, command, completedBy, failedBy, compensation, compensatedBy, commit);
    }

    /** The order's rejection reason, if {@code reply} fails this step. */
    Optional<String> failure(String reply, String participantsReason) {
        return Optional.ofNullable(failedBy.get(reply)).map(reason -> reason.apply(participantsReason));
    }
}
