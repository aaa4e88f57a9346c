package dev.emporium.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * A secret of the local run, generated on the first run and kept, readable by its owner only, under
 * {@code .emporium/}: the administrator's password, the registry's and user-service's token-signing key.
 *
 * @param value the secret
 * @param generatedNow whether this run created it (and may show it once)
 */
record LocalSecret(String value, boolean generatedNow, Path file) {

    static LocalSecret readOrCreate(Path file, Supplier<String> generator) {
        try {
            if (Files.exists(file)) {
                return new LocalSecret(Files.readString(file).strip(), false, file);
            }
            String value = generator.get();
            Files.createDirectories(file.getParent());
            Files.writeString(file, value);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's own permissions apply
            }
            return new LocalSecret(value, true, file);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not read or write " + file, e);
        }
    }

    /** The registry's password, for discovery and every client of it (EMPORIUM_EUREKA_PASSWORD, in EUREKA_URL). */
    static LocalSecret registryPassword(Settings settings) {
        return readOrCreate(settings.home().resolve("eureka-password"), LocalSecret::random);
    }

    /** The embedded PostgreSQL's password of a role: the superuser's, or a service's own role's. */
    static LocalSecret postgresPassword(Settings settings, String role) {
        return readOrCreate(settings.home().resolve("postgres-passwords").resolve(role), LocalSecret::random);
    }

    /** A Kafka principal's password: the administrator's (the broker's one super user) or a service's. */
    static LocalSecret kafkaPassword(Settings settings, String principal) {
        return readOrCreate(settings.home().resolve("kafka-passwords").resolve(principal), LocalSecret::random);
    }

    /**
     * The id of the three-broker cluster, generated once: every node is formatted with it (not a
     * secret, but kept the same way, since a node formatted with another id would not join).
     */
    static String kafkaClusterId(Settings settings) {
        return readOrCreate(settings.home().resolve("kafka-quorum").resolve("cluster-id"),
                () -> org.apache.kafka.common.Uuid.randomUuid().toString()).value();
    }

    /** 144 random bits, URL-safe (they travel inside URLs). */
    static String random() {
        byte[] random = new byte[18];
        new java.security.SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /**
     * user-service's signing key, kept across restarts so tokens stay valid when it is restarted (as
     * a real deployment's key does); passed as EMPORIUM_JWT_PRIVATE_KEY.
     */
    static LocalSecret signingKey(Settings settings) {
        return readOrCreate(settings.home().resolve("jwt-signing-key.pem"), () -> {
            try {
                KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
                rsa.initialize(2048);
                String pkcs8 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(rsa.generateKeyPair().getPrivate().getEncoded());
                return "-----BEGIN PRIVATE KEY-----\n" + pkcs8 + "\n-----END PRIVATE KEY-----\n";
            }
            catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("This JVM cannot generate RSA keys", e);
            }
        });
    }
}
