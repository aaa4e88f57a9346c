package dev.emporium.user.login;

import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.emporium.user.config.IdentitySettings;

/** The RSA key that signs access tokens, and its public half as published in the JWKS. */
public final class SigningKey {

    private static final Logger log = LoggerFactory.getLogger(SigningKey.class);

    private final RSAKey key;

    private SigningKey(RSAKey key) {
        this.key = key;
    }

    static SigningKey from(IdentitySettings settings) {
        if (settings.privateKey() != null && !settings.privateKey().isBlank()) {
            return new SigningKey(parse(settings.privateKey(), settings.keyId()));
        }
        if (!settings.generateKeyIfMissing()) {
            throw new IllegalStateException("No key to sign access tokens with. Set EMPORIUM_JWT_PRIVATE_KEY to an RSA"
                    + " private key in PKCS#8 PEM (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048), or, for a"
                    + " local run only, emporium.identity.generate-key-if-missing=true.");
        }
        log.warn("Signing access tokens with a key generated at start-up: fine for a local run, wrong anywhere else"
                + " (tokens die with this process, and replicas would not trust each other's)");
        try {
            return new SigningKey(new RSAKeyGenerator(2048).keyID(settings.keyId()).generate());
        }
        catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    RSAKey rsaKey() {
        return key;
    }

    public RSAPublicKey publicKey() {
        try {
            return key.toRSAPublicKey();
        }
        catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String keyId() {
        return key.getKeyID();
    }

    /** What {@code /.well-known/jwks.json} serves: public keys only. */
    public java.util.Map<String, Object> publicJwks() {
        return new JWKSet(key.toPublicJWK()).toJSONObject(true);
    }

    private static RSAKey parse(String pem, String keyId) {
        try {
            String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(privateKey.getModulus(),
                    privateKey.getPublicExponent()));
            return new RSAKey.Builder(publicKey).privateKey(privateKey).keyID(keyId).build();
        }
        catch (Exception e) {
            throw new IllegalStateException("EMPORIUM_JWT_PRIVATE_KEY is not an RSA private key in PKCS#8 PEM"
                    + " (-----BEGIN PRIVATE KEY-----): " + e.getMessage(), e);
        }
    }
}
