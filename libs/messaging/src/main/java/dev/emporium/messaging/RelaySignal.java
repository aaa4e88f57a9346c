package dev.emporium.messaging;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Lets a committed transaction wake the relay at once instead of at its next poll. */
final class RelaySignal {

    private final Semaphore permits = new Semaphore(0);

    void wakeUp() {
        if (permits.availablePermits() == 0) {
            permits.release();
        }
    }

    /** Waits until woken or until {@code timeout} passes; true when woken. */
    boolean await(Duration timeout) throws InterruptedException {
        if (permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            permits.drainPermits();
            return true;
        }
        return false;
    }
}
