package dev.emporium.user.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Failed logins, counted so that nobody can lock an owner out of their own account (OWASP
 * Authentication Cheat Sheet, "Account lockout"):
 * <ul>
 * <li>per e-mail address <em>and</em> client address together: after {@code maxFailures} that pair is
 * refused for {@code lockout}, and each further lockout of the same pair lasts twice as long (at most
 * {@value #MAX_DOUBLINGS} doublings). Someone hammering an account from one address does not stop its
 * owner, who logs in from another, at once;</li>
 * <li>per client address alone, a ceiling of {@value #ADDRESS_CEILING_FACTOR} times as many failures,
 * whatever the accounts: one address trying many accounts is refused too.</li>
 * </ul>
 * Whether or not an account has the e-mail address, the counting is the same (a lockout reveals
 * nothing). Kept in memory, bounded: each instance counts on its own, and the gateway's per-address
 * limit on the login route sits in front of all of them.
 */
class LoginThrottle {

    static final int MAX_DOUBLINGS = 4;
    static final int ADDRESS_CEILING_FACTOR = 10;

    private record Failures(int count, int lockouts, Instant lockedUntil) {

        static final Failures NONE = new Failures(0, 0, null);
    }

    private final Cache<String, Failures> failures;
    private final int maxFailures;
    private final Duration lockout;
    private final Clock clock;

    LoginThrottle(int maxFailures, Duration lockout, Clock clock) {
        this.maxFailures = maxFailures;
        this.lockout = lockout;
        this.clock = clock;
        // long enough to remember a pair's earlier lockouts while they double
        this.failures = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(lockout.multipliedBy(1L << MAX_DOUBLINGS).plusHours(1))
            .build();
    }

    /** How long this e-mail address is refused from this client address, if it is. */
    Optional<Duration> lockedFor(String email, String clientAddress) {
        Instant now = Instant.now(clock);
        return Optional.ofNullable(later(left(pair(email, clientAddress), now), left(address(clientAddress), now)));
    }

    void failed(String email, String clientAddress) {
        count(pair(email, clientAddress), maxFailures);
        count(address(clientAddress), maxFailures * ADDRESS_CEILING_FACTOR);
    }

    /** A success forgets this pair's failures; the address's count stays (it may be guessing at other accounts). */
    void succeeded(String email, String clientAddress) {
        failures.invalidate(pair(email, clientAddress));
    }

    private void count(String key, int limit) {
        failures.asMap().compute(key, (k, current) -> {
            Failures now = current == null ? Failures.NONE : current;
            int count = now.count() + 1;
            if (count < limit) {
                return new Failures(count, now.lockouts(), now.lockedUntil());
            }
            Duration locked = lockout.multipliedBy(1L << Math.min(now.lockouts(), MAX_DOUBLINGS));
            return new Failures(0, now.lockouts() + 1, Instant.now(clock).plus(locked));
        });
    }

    private Duration left(String key, Instant now) {
        Failures current = failures.getIfPresent(key);
        if (current == null || current.lockedUntil() == null || !current.lockedUntil().isAfter(now)) {
            return null;
        }
        return Duration.between(now, current.lockedUntil());
    }

    private static Duration later(Duration one, Duration other) {
        return one == null ? other : other == null ? one : (one.compareTo(other) >= 0 ? one : other);
    }

    private static String pair(String email, String clientAddress) {
        return "account:" + email + "|from:" + clientAddress;
    }

    private static String address(String clientAddress) {
        return "from:" + clientAddress;
    }
}
