package dev.emporium.order.checkout;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.emporium.order.config.AdmissionSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderAdmissionTest {

    final AtomicLong pendingInDatabase = new AtomicLong();
    final AtomicInteger counts = new AtomicInteger();
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final SimpleMeterRegistry adaptiveMeters = new SimpleMeterRegistry();
    final OrderAdmission admission = admission(new AdmissionSettings(3, false, Duration.ofSeconds(1), Duration.ofMillis(250),
            Duration.ofSeconds(2)), meters);
    final OrderAdmission adaptive = admission(new AdmissionSettings(1000, true, Duration.ofSeconds(1), Duration.ofMillis(250),
            Duration.ofSeconds(1)), adaptiveMeters);

    @Test
    void admitsUpToTheLimitThenRefusesAndCountsWhatItRefused() {
        admission.admit();
        admission.admit();
        admission.admit();

        assertThatThrownBy(admission::admit).isInstanceOf(OrdersBusyException.class)
            .hasMessageContaining("3 are waiting, the limit is 3")
            .hasMessageContaining("nothing was ordered")
            .satisfies(e -> assertThat(((OrdersBusyException) e).retryAfter()).isEqualTo(Duration.ofSeconds(2)));
        assertThat(meters.get("emporium.orders.shed").tag("limit", "admission").counter().count()).isEqualTo(1);
    }

    @Test
    void countsTheDatabaseAtMostOncePerRecountAndAddsWhatItAdmittedSince() {
        pendingInDatabase.set(1);
        admission.admit();
        admission.admit();

        assertThatThrownBy(admission::admit).as("1 counted + 2 admitted since").isInstanceOf(OrdersBusyException.class);
        assertThat(counts).hasValue(1);

        // the sagas decided both orders admitted meanwhile and the one counted before
        pendingInDatabase.set(0);
        now.addAndGet(Duration.ofMillis(250).toNanos());
        admission.admit();

        assertThat(counts).hasValue(2);
    }

    @Test
    void refusesAtOnceWhenTheDatabaseAlreadyCountsTheLimit() {
        pendingInDatabase.set(3);

        assertThatThrownBy(admission::admit).isInstanceOf(OrdersBusyException.class);

        pendingInDatabase.set(2);
        assertThatThrownBy(admission::admit).as("not counted again within 250 ms").isInstanceOf(OrdersBusyException.class);
        now.addAndGet(Duration.ofMillis(300).toNanos());
        admission.admit();
    }

    @Test
    void refusesALimitBelowOneAndATargetOfNothing() {
        assertThatThrownBy(() -> new AdmissionSettings(0, true, Duration.ofSeconds(1), Duration.ofMillis(250), Duration.ofSeconds(1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-pending");
        assertThatThrownBy(() -> new AdmissionSettings(100, true, Duration.ZERO, Duration.ofMillis(250), Duration.ofSeconds(1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decision-target");
    }

    @Test
    void theAdaptiveLimitShrinksByATenthForEverySecondOfSlowDecisionsThenRefusesThere() {
        assertThat(adaptive.limit()).isEqualTo(AdmissionSettings.INITIAL_LIMIT);

        second(adaptive, Duration.ofSeconds(2), 11);
        second(adaptive, Duration.ofSeconds(2), 11);
        assertThat(adaptive.limit()).as("the first second judged").isEqualTo(90);
        nextDecision(adaptive);
        assertThat(adaptive.limit()).as("the second one").isEqualTo(81);
        assertThat(adaptiveMeters.get("emporium.orders.admission.limit").gauge().value()).isEqualTo(81);

        pendingInDatabase.set(81);
        now.addAndGet(Duration.ofMillis(250).toNanos());
        assertThatThrownBy(adaptive::admit).isInstanceOf(OrdersBusyException.class).hasMessageContaining("81 are waiting, the limit is 81");
    }

    @Test
    void theAdaptiveLimitIgnoresASecondWithTooFewDecisionsOrOnlyAFewSlowOnes() {
        second(adaptive, Duration.ofSeconds(5), 6);
        nextDecision(adaptive);
        assertThat(adaptive.limit()).as("5 decisions are too few to judge by").isEqualTo(AdmissionSettings.INITIAL_LIMIT);

        // 1 of 21 decisions late: the 90th percentile is still within the target
        second(adaptive, Duration.ofMillis(200), 20);
        second(adaptive, Duration.ofSeconds(5), 1);
        nextDecision(adaptive);
        assertThat(adaptive.limit()).isEqualTo(AdmissionSettings.INITIAL_LIMIT);
    }

    @Test
    void theAdaptiveLimitGrowsByOneForEveryQuickSecondOnlyWhileHalfOfItIsInUse() {
        pendingInDatabase.set(10);
        second(adaptive, Duration.ofMillis(50), 11);
        nextDecision(adaptive);
        assertThat(adaptive.limit()).as("a tenth in use: nothing to grow for").isEqualTo(AdmissionSettings.INITIAL_LIMIT);

        pendingInDatabase.set(60);
        now.addAndGet(Duration.ofMillis(250).toNanos());
        second(adaptive, Duration.ofMillis(50), 11);
        second(adaptive, Duration.ofMillis(50), 11);
        nextDecision(adaptive);
        assertThat(adaptive.limit()).isEqualTo(AdmissionSettings.INITIAL_LIMIT + 2);
    }

    @Test
    void theAdaptiveLimitStaysBetweenItsFloorAndMaxPending() {
        for (int second = 0; second < 40; second++) {
            second(adaptive, Duration.ofSeconds(3), 11);
        }
        assertThat(adaptive.limit()).isEqualTo(AdmissionSettings.MIN_LIMIT);

        OrderAdmission small = admission(
                new AdmissionSettings(20, true, Duration.ofSeconds(1), Duration.ofMillis(250), Duration.ofSeconds(1)), new SimpleMeterRegistry());
        assertThat(small.limit()).as("starts at max-pending when that is below 100").isEqualTo(20);
        pendingInDatabase.set(20);
        for (int second = 0; second < 5; second++) {
            second(small, Duration.ofMillis(10), 11);
        }
        assertThat(small.limit()).isEqualTo(20);
    }

    @Test
    void aFixedLimitDoesNotMove() {
        for (int second = 0; second < 5; second++) {
            second(admission, Duration.ofSeconds(3), 11);
        }
        assertThat(admission.limit()).isEqualTo(3);
    }

    private OrderAdmission admission(AdmissionSettings settings, SimpleMeterRegistry registry) {
        return new OrderAdmission(() -> {
            counts.incrementAndGet();
            return pendingInDatabase.get();
        }, settings, registry, now::get);
    }

    /**
     * {@code decisions} decisions that each waited {@code waited}, then a second passes. The adaptive
     * limit judges a second when the first decision after it arrives (and the very first decision of
     * all only opens the first second).
     */
    private void second(OrderAdmission admission, Duration waited, int decisions) {
        for (int i = 0; i < decisions; i++) {
            admission.waitedForDecision(waited);
        }
        now.addAndGet(Duration.ofSeconds(1).toNanos() + 1);
    }

    private void nextDecision(OrderAdmission admission) {
        admission.waitedForDecision(Duration.ofMillis(1));
    }
}
