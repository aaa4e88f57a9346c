package dev.emporium.user.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Counts failed logins per e-mail address, whether or not an account has it (so a lockout reveals
 * nothing), and locks the address for a while after too many. Kept in memory: each instance counts on
 * its own, and the gateway's per-IP limit on the login route sits in front of all of them.
 */
class LoginThrottle {

    private record Failures(int count, Instant lockedUntil) {
    }

    private final Cache<String, Failures> failures;
    private final int maxFailures;
    private final Duration lockout;
    private final Clock clock;

    LoginThrottle(int maxFailures, Duration lockout, Clock clock) {
        this.maxFailures = maxFailures;
        this.lockout = lockout;
        this.clock = clock;
        this.failures = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(15)).build();
    }

    /** How long the address stays locked, if it is. */
    Optional<Duration> lockedFor(String email) {
        Failures current = failures.getIfPresent(email);
        if (current == null || current.lockedUntil() == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(Instant.now(clock), current.lockedUntil());
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    void failed(String email) {
        failures.asMap().compute(email, (key, current) -> {
            int count = current == null ? 1 : current.count() + 1;
            return count >= maxFailures ? new Failures(0, Instant.now(clock).plus(lockout)) : new Failures(count, null);
        });
    }

    void succeeded(String email) {
        failures.invalidate(email);
    }
}
