package dev.emporium.user.account;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Two instances starting together seed the same administrator: the one that loses the race looks again, once. */
class AdministratorSeedTest {

    @Test
    void looksAgainWhenAnotherInstanceChangedTheAccountUnderIt() {
        AtomicInteger runs = new AtomicInteger();

        AdministratorSeed.onceMoreIfRaced(() -> {
            if (runs.incrementAndGet() == 1) {
                throw new OptimisticLockingFailureException("Failed to update versioned entity (version 4)");
            }
        });

        assertThat(runs).hasValue(2);
    }

    @Test
    void looksAgainWhenAnotherInstanceCreatedItFirst() {
        AtomicInteger runs = new AtomicInteger();

        AdministratorSeed.onceMoreIfRaced(() -> {
            if (runs.incrementAndGet() == 1) {
                throw new DuplicateKeyException("accounts_email_key");
            }
        });

        assertThat(runs).hasValue(2);
    }

    @Test
    void aSecondFailureAndAnyOtherFailureStopTheStart() {
        AtomicInteger runs = new AtomicInteger();
        assertThatExceptionOfType(OptimisticLockingFailureException.class).isThrownBy(() -> AdministratorSeed.onceMoreIfRaced(() -> {
            runs.incrementAndGet();
            throw new OptimisticLockingFailureException("again");
        }));
        assertThat(runs).hasValue(2);

        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> AdministratorSeed.onceMoreIfRaced(() -> {
            throw new IllegalArgumentException("A password needs 12 to 128 characters");
        }));
    }
}
