package dev.emporium.user.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code emporium.identity.*}: how user-service signs access tokens and protects logins.
 *
 * @param privateKey the RSA signing key as PKCS#8 PEM (from a secret: {@code EMPORIUM_JWT_PRIVATE_KEY})
 * @param keyId the {@code kid} published with it
 * @param generateKeyIfMissing whether to make a throw-away key when none is configured (local run and tests only)
 * @param tokenLifetime how long an access token is valid
 * @param maxFailedLogins failed logins for one e-mail address before it is locked
 * @param lockout how long it then stays locked
 * @param adminEmail the administrator to create at start-up, if any ({@code EMPORIUM_ADMIN_EMAIL})
 * @param adminPassword their password ({@code EMPORIUM_ADMIN_PASSWORD}); never committed anywhere
 * @param concurrentHashes password hashes computed at once (each Argon2id hash takes 19 MiB); more callers wait, then get 503
 */
@ConfigurationProperties("emporium.identity")
public record IdentitySettings(String privateKey, @DefaultValue("emporium-1") String keyId,
        @DefaultValue("false") boolean generateKeyIfMissing, @DefaultValue("15m") Duration tokenLifetime,
        @DefaultValue("5") int maxFailedLogins, @DefaultValue("60s") Duration lockout, String adminEmail,
        String adminPassword, @DefaultValue("4") int concurrentHashes) {
}
