package dev.emporium.user.login;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.ErrorResponseException;

/**
 * At most a few password hashes at a time. Argon2id takes 19 MiB and tens of milliseconds per hash
 * on purpose; fifty logins at once would take a gigabyte (the chaos run found user-service out of
 * heap when fifty shoppers logged in together). A caller waits its turn briefly, then gets a 503
 * with {@code Retry-After} rather than an {@code OutOfMemoryError} for everyone.
 */
final class BoundedPasswordHashing implements PasswordEncoder {

    private final PasswordEncoder delegate;
    private final Semaphore turns;
    private final Duration patience;

    BoundedPasswordHashing(PasswordEncoder delegate, int concurrent, Duration patience) {
        this.delegate = delegate;
        this.turns = new Semaphore(concurrent, true);
        this.patience = patience;
    }

    @Override
    public String encode(CharSequence rawPassword) {
        acquire();
        try {
            return delegate.encode(rawPassword);
        }
        finally {
            turns.release();
        }
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        acquire();
        try {
            return delegate.matches(rawPassword, encodedPassword);
        }
        finally {
            turns.release();
        }
    }

    private void acquire() {
        try {
            if (turns.tryAcquire(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "Too many logins and registrations at once; try again in a moment.");
        ErrorResponseException busy = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
        busy.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        throw busy;
    }
}
