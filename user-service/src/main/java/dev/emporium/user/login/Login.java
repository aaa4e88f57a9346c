package dev.emporium.user.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

import dev.emporium.security.JwtSettings;
import dev.emporium.security.Tokens;
import dev.emporium.user.account.Account;
import dev.emporium.user.account.AccountManagement;

/**
 * Exchanges an e-mail address and password for a signed access token. A wrong password and an
 * unknown address look the same from outside: same answer, same work (a password hash is checked
 * either way), same lockout.
 */
public class Login {

    private static final Logger log = LoggerFactory.getLogger(Login.class);

    private final AccountManagement accounts;
    private final PasswordEncoder passwords;
    private final JwtEncoder tokens;
    private final SigningKey key;
    private final JwtSettings jwt;
    private final Duration lifetime;
    private final LoginThrottle throttle;
    private final Clock clock;
    private final String hashOfNothing;

    Login(AccountManagement accounts, PasswordEncoder passwords, JwtEncoder tokens, SigningKey key, JwtSettings jwt,
            Duration lifetime, LoginThrottle throttle, Clock clock) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.tokens = tokens;
        this.key = key;
        this.jwt = jwt;
        this.lifetime = lifetime;
        this.throttle = throttle;
        this.clock = clock;
        this.hashOfNothing = passwords.encode(UUID.randomUUID().toString());
    }

    public record AccessToken(String value, Duration expiresIn) {
    }

    /**
     * @param clientAddress where the attempt comes from: failures are counted per account and address together
     * @throws LoginRefusedException when the address or the password is wrong
     * @throws LoginLockedException after too many failures for this account from this client address (or
     *         from this client address at all), until the lockout ends
     */
    public AccessToken login(String email, String password, String clientAddress) {
        String address = Account.normalize(email == null ? "" : email);
        Optional<Duration> locked = throttle.lockedFor(address, clientAddress);
        if (locked.isPresent()) {
            throw new LoginLockedException(locked.get());
        }
        Optional<Account> account = address.isEmpty() ? Optional.empty() : accounts.byEmail(address);
        String hash = account.map(Account::passwordHash).filter(h -> h != null && !h.isBlank()).orElse(hashOfNothing);
        boolean matches = password != null && passwords.matches(password, hash);
        if (account.isEmpty() || !matches) {
            throttle.failed(address, clientAddress);
            log.info("Login refused (wrong address or password)");
            throw new LoginRefusedException();
        }
        throttle.succeeded(address, clientAddress);
        return issue(account.get());
    }

    private AccessToken issue(Account account) {
        Instant now = Instant.now(clock);
        JwtClaimsSet claims = JwtClaimsSet.builder()
            .issuer(jwt.issuer())
            .audience(List.of(jwt.audience()))
            .subject(account.id().value().toString())
            .issuedAt(now)
            .expiresAt(now.plus(lifetime))
            .id(UUID.randomUUID().toString())
            .claim(Tokens.ROLES, List.of(account.role().name()))
            .build();
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(key.keyId()).build();
        return new AccessToken(tokens.encode(JwtEncoderParameters.from(header, claims)).getTokenValue(), lifetime);
    }

    /** Wrong address or password; deliberately no more precise than that. */
    public static class LoginRefusedException extends RuntimeException {

        LoginRefusedException() {
            super("The e-mail address or the password is wrong.");
        }
    }

    /** Too many failed logins for one address. */
    public static class LoginLockedException extends RuntimeException {

        private final Duration retryAfter;

        LoginLockedException(Duration retryAfter) {
            super("Too many failed logins for this account from your address; try again in " + Math.max(1, retryAfter.toSeconds()) + " s.");
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }
}
