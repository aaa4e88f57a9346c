package dev.emporium.order.checkout;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class OrderTest {

    private final Order pending = Order.place(UUID.randomUUID(),
            List.of(new OrderLine(UUID.randomUUID(), 2, new BigDecimal("7.50")), new OrderLine(UUID.randomUUID(), 1, new BigDecimal("5.00"))),
            "EUR", Instant.now());

    @Test
    void totalsItsLines() {
        assertThat(pending.total().amount()).isEqualByComparingTo("20.00");
        assertThat(pending.status()).isEqualTo(Order.Status.PENDING);
    }

    @Test
    void isConfirmedOrRejectedOnlyWhilePending() {
        Order confirmed = pending.confirm();

        assertThat(confirmed.status()).isEqualTo(Order.Status.CONFIRMED);
        assertThatIllegalStateException().isThrownBy(confirmed::confirm);
        assertThatIllegalStateException().isThrownBy(() -> confirmed.reject("late"));
        assertThat(pending.reject("no stock").reason()).isEqualTo("no stock");
    }

    @Test
    void keepsAReasonUpToItsLimitAndCutsALongerOneWithoutSplittingACharacter() {
        String exact = "r".repeat(Order.MAX_REASON);
        String emojiAtTheCut = "r".repeat(Order.MAX_REASON - 2) + "\uD83D\uDED2" + "rest";

        assertThat(pending.reject(exact).reason()).isEqualTo(exact);
        assertThat(pending.reject(exact + "r").reason()).hasSize(Order.MAX_REASON).endsWith("r…");
        assertThat(pending.reject(emojiAtTheCut).reason()).isEqualTo("r".repeat(Order.MAX_REASON - 2) + "…");
    }

    @Test
    void cancelsPendingAndConfirmedOrdersOnceAndNeverRejectedOnes() {
        Order cancelled = pending.confirm().cancel("changed my mind");

        assertThat(cancelled.status()).isEqualTo(Order.Status.CANCELLED);
        assertThat(cancelled.cancel("again")).isSameAs(cancelled);
        assertThatIllegalStateException().isThrownBy(() -> pending.reject("no stock").cancel("too late"));
    }

    @Test
    void refusesEmptyOrdersAndImpossibleQuantities() {
        assertThatIllegalArgumentException().isThrownBy(() -> Order.place(UUID.randomUUID(), List.of(), "EUR", Instant.now()));
        assertThatIllegalArgumentException().isThrownBy(() -> new OrderLine(UUID.randomUUID(), 0, BigDecimal.ONE));
        assertThatIllegalArgumentException().isThrownBy(() -> new OrderLine(UUID.randomUUID(), 1001, BigDecimal.ONE));
    }
}
