package dev.emporium.user.login;

import java.time.Clock;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import dev.emporium.security.JwtSettings;
import dev.emporium.security.Tokens;
import dev.emporium.user.account.AccountManagement;
import dev.emporium.user.config.IdentitySettings;

@Configuration(proxyBeanMethods = false)
class LoginConfiguration {

    /**
     * Argon2id at OWASP's recommended minimum: 19 MiB of memory, 2 iterations, parallelism 1; at most
     * {@code emporium.identity.concurrent-hashes} at a time (see {@link BoundedPasswordHashing}).
     */
    @Bean
    PasswordEncoder passwordEncoder(IdentitySettings settings) {
        return new BoundedPasswordHashing(new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2), settings.concurrentHashes(),
                java.time.Duration.ofSeconds(2));
    }

    @Bean
    SigningKey signingKey(IdentitySettings settings) {
        return SigningKey.from(settings);
    }

    @Bean
    Login login(AccountManagement accounts, PasswordEncoder passwords, SigningKey key, JwtSettings jwt, IdentitySettings settings) {
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key.rsaKey())));
        return new Login(accounts, passwords, encoder, key, jwt, settings.tokenLifetime(),
                new LoginThrottle(settings.maxFailedLogins(), settings.lockout(), Clock.systemUTC()), Clock.systemUTC());
    }

    /** user-service holds the key, so it checks its own tokens without fetching its own JWKS. */
    @Bean
    JwtDecoder jwtDecoder(SigningKey key, JwtSettings settings) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(key.publicKey()).build();
        decoder.setJwtValidator(Tokens.validator(settings));
        return decoder;
    }
}
