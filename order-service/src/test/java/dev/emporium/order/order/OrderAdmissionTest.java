package dev.emporium.order.order;

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
    final OrderAdmission admission = new OrderAdmission(() -> {
        counts.incrementAndGet();
        return pendingInDatabase.get();
    }, new AdmissionSettings(3, Duration.ofMillis(250), Duration.ofSeconds(2)), meters, now::get);

    @Test
    void admitsUpToTheLimitThenRefusesAndCountsWhatItRefused() {
        admission.admit();
        admission.admit();
        admission.admit();

        assertThatThrownBy(admission::admit).isInstanceOf(OrdersBusyException.class)
            .hasMessageContaining("3 are waiting, the limit is 3")
            .hasMessageContaining("nothing was ordered")
            .satisfies(e -> assertThat(((OrdersBusyException) e).retryAfter()).isEqualTo(Duration.ofSeconds(2)));
        assertThat(meters.get("emporium.orders.shed").counter().count()).isEqualTo(1);
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
    void refusesALimitBelowOne() {
        assertThatThrownBy(() -> new AdmissionSettings(0, Duration.ofMillis(250), Duration.ofSeconds(1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-pending");
    }
}
