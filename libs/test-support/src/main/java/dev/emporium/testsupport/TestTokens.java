package dev.emporium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * Access tokens for tests, signed by a key of this JVM whose public half is served as a JWKS on a
 * local port, just as user-service serves its own. Point a service at it with
 * {@code emporium.security.jwt.jwk-set-uri=}{@link #jwkSetUri()}. Tokens have the platform's issuer
 * and audience unless a test asks for a forged one.
 */
public final class TestTokens {

    public static final String ISSUER = "emporium";
    public static final String AUDIENCE = "emporium";

    private static final RSAKey key = generate("test-key");
    private static final RSAKey strangerKey = generate("test-key");
    private static HttpServer jwks;

    private TestTokens() {
    }

    public static synchronized String jwkSetUri() {
        if (jwks == null) {
            jwks = serve(new JWKSet(key.toPublicJWK()).toString());
        }
        return "http://localhost:" + jwks.getAddress().getPort() + "/.well-known/jwks.json";
    }

    public static String customer(UUID id) {
        return token().subject(id).roles("CUSTOMER").sign();
    }

    public static String admin(UUID id) {
        return token().subject(id).roles("ADMIN").sign();
    }

    public static Token token() {
        return new Token(UUID.randomUUID(), List.of("CUSTOMER"), ISSUER, AUDIENCE, Instant.now().plus(Duration.ofMinutes(15)));
    }

    /** A token under construction; each method returns a changed copy. */
    public record Token(UUID subject, List<String> roles, String issuer, String audience, Instant expiresAt) {

        public Token subject(UUID id) {
            return new Token(id, roles, issuer, audience, expiresAt);
        }

        public Token roles(String... names) {
            return new Token(subject, List.of(names), issuer, audience, expiresAt);
        }

        public Token issuer(String name) {
            return new Token(subject, roles, name, audience, expiresAt);
        }

        public Token audience(String name) {
            return new Token(subject, roles, issuer, name, expiresAt);
        }

        public Token expiresAt(Instant when) {
            return new Token(subject, roles, issuer, audience, when);
        }

        /** Signed with the key the JWKS publishes. */
        public String sign() {
            return signWith(key);
        }

        /** Signed with a key nobody published, under the same key id. */
        public String signWithUnknownKey() {
            return signWith(strangerKey);
        }

        /** {@code alg: none}: no signature at all. */
        public String unsigned() {
            String header = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
            return header + "." + base64(claims().toString()) + ".";
        }

        private String signWith(RSAKey signingKey) {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(), claims());
                jwt.sign(new RSASSASigner(signingKey));
                return jwt.serialize();
            }
            catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        private JWTClaimsSet claims() {
            return new JWTClaimsSet.Builder()
                .subject(subject.toString())
                .issuer(issuer)
                .audience(audience)
                .claim("roles", roles)
                .issueTime(Date.from(expiresAt.minus(Duration.ofMinutes(15))))
                .expirationTime(Date.from(expiresAt))
                .build();
        }

        private static String base64(String json) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static RSAKey generate(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        }
        catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer serve(String body) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.createContext("/.well-known/jwks.json", exchange -> {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.setExecutor(null);
            server.start();
            return server;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
