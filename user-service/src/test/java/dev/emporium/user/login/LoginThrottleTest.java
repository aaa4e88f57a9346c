package dev.emporium.user.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Failed logins count per account and client address together, lock for longer each time, and per address. */
class LoginThrottleTest {

    MovableClock clock = new MovableClock();
    LoginThrottle throttle = new LoginThrottle(5, Duration.ofSeconds(60), clock);

    @Test
    void locksOnlyThePairThatFailedAndEachLockoutLastsTwiceAsLong() {
        fail("owner@example.org", "198.51.100.1", 5);

        assertThat(throttle.lockedFor("owner@example.org", "198.51.100.1")).hasValue(Duration.ofSeconds(60));
        assertThat(throttle.lockedFor("owner@example.org", "203.0.113.9")).as("the owner elsewhere").isEmpty();
        assertThat(throttle.lockedFor("other@example.org", "198.51.100.1")).as("another account from there").isEmpty();

        clock.advance(Duration.ofSeconds(61));
        fail("owner@example.org", "198.51.100.1", 5);
        assertThat(throttle.lockedFor("owner@example.org", "198.51.100.1")).hasValue(Duration.ofSeconds(120));
    }

    @Test
    void oneAddressTryingManyAccountsMeetsItsOwnCeiling() {
        for (int account = 0; account < 50; account++) {
            throttle.failed("account" + account + "@example.org", "198.51.100.2");
        }

        assertThat(throttle.lockedFor("never-tried@example.org", "198.51.100.2")).isPresent();
        assertThat(throttle.lockedFor("never-tried@example.org", "203.0.113.9")).isEmpty();
    }

    @Test
    void aSuccessForgetsThePairsFailures() {
        fail("owner@example.org", "198.51.100.3", 4);
        throttle.succeeded("owner@example.org", "198.51.100.3");
        fail("owner@example.org", "198.51.100.3", 4);

        assertThat(throttle.lockedFor("owner@example.org", "198.51.100.3")).isEmpty();
    }

    private void fail(String email, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(email, address);
        }
    }

    static final class MovableClock extends Clock {

        private Instant now = Instant.parse("2026-12-04T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
