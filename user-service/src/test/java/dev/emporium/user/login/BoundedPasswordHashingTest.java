package dev.emporium.user.login;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedPasswordHashingTest {

    /** A hash that takes as long as the test says: the first caller holds the only turn. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch holding = new CountDownLatch(1);
    private final PasswordEncoder slow = new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
            holding.countDown();
            try {
                release.await();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "hash";
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            return encode(raw).equals(encoded);
        }
    };

    @Test
    void refusesWithServiceUnavailableAndRetryAfterWhenEveryTurnIsTakenTooLong() throws Exception {
        BoundedPasswordHashing hashing = new BoundedPasswordHashing(slow, 1, Duration.ofMillis(200));
        try (ExecutorService first = Executors.newSingleThreadExecutor()) {
            Future<String> firstHash = first.submit(() -> hashing.encode("first"));
            assertThat(holding.await(5, java.util.concurrent.TimeUnit.SECONDS)).as("the first caller holds the turn").isTrue();

            assertThatThrownBy(() -> hashing.matches("second", "hash"))
                .isInstanceOfSatisfying(ErrorResponseException.class, busy -> {
                    assertThat(busy.getStatusCode().value()).isEqualTo(503);
                    assertThat(busy.getHeaders().getFirst("Retry-After")).isEqualTo("1");
                });

            release.countDown();
            assertThat(firstHash.get()).isEqualTo("hash");
        }
        assertThat(hashing.matches("third", "hash")).as("the turn was given back").isTrue();
    }
}
