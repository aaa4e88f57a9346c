package dev.emporium.order.checkout.web;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Waits for decisions are bounded, counted, and leave nothing behind once their requests stop waiting. */
class OrderDecisionsTest {

    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    OrderDecisions decisions = new OrderDecisions(null, 2, meters);

    @Test
    void refusesAWaitBeyondTheLimitUntilAnotherEnds() {
        CompletableFuture<?> first = decisions.decision(UUID.randomUUID());
        decisions.decision(UUID.randomUUID());

        assertThatExceptionOfType(OrderDecisions.TooManyWaitsException.class).isThrownBy(() -> decisions.decision(UUID.randomUUID()))
            .withMessageContaining("the limit is 2");
        assertThat(meters.get("emporium.orders.waits.open").gauge().value()).isEqualTo(2);

        first.complete(null);
        decisions.decision(UUID.randomUUID());
        assertThat(decisions.open()).isEqualTo(2);
    }

    @Test
    void aWaitThatEndsOrTimesOutLeavesNoEntry() {
        UUID order = UUID.randomUUID();
        CompletableFuture<?> one = decisions.decision(order);
        CompletableFuture<?> two = decisions.decision(order);
        assertThat(decisions.waitedFor()).isEqualTo(1);

        one.complete(null);
        assertThat(decisions.waitedFor()).as("one request still waits").isEqualTo(1);
        two.completeExceptionally(new java.util.concurrent.TimeoutException());

        assertThat(decisions.waitedFor()).isZero();
        assertThat(decisions.open()).isZero();
    }
}
