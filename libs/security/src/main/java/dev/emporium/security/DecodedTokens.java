package dev.emporium.security;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Tokens decoded before, by their exact text. A shopper's client sends the same token with every
 * request until it expires. Parsing it and checking its RSA signature again each time is one of the
 * dearest things the gateway does per request.
 * <ul>
 * <li>A hit skips only the parsing and the signature check. The validator ({@link Tokens#validator}:
 * expiry and not-before with the clock skew, issuer, audience) runs on every use, so an expired token
 * is refused even when it is remembered.</li>
 * <li>The key is the whole token, signature included: a token changed in any character is decoded, and
 * its signature checked, afresh.</li>
 * <li>Bounded: at most {@value #MAX_TOKENS} tokens, each for at most {@link #KEEP} after it was first
 * decoded. A signing key removed from user-service's key set stops being accepted for the tokens
 * remembered here within that time.</li>
 * </ul>
 */
public final class DecodedTokens {

    static final int MAX_TOKENS = 10_000;
    static final Duration KEEP = Duration.ofMinutes(5);

    private final Cache<String, Jwt> decoded = Caffeine.newBuilder().maximumSize(MAX_TOKENS).expireAfterWrite(KEEP).build();
    private final OAuth2TokenValidator<Jwt> validator;

    public DecodedTokens(OAuth2TokenValidator<Jwt> validator) {
        this.validator = validator;
    }

    /**
     * The token as decoded before, validated again now; or null if it was not decoded here before (decode
     * it, then {@link #remember} it).
     *
     * @throws JwtValidationException if the remembered token is no longer valid (it is forgotten)
     */
    Jwt recall(String token) {
        Jwt jwt = decoded.getIfPresent(token);
        if (jwt == null) {
            return null;
        }
        OAuth2TokenValidatorResult result = validator.validate(jwt);
        if (result.hasErrors()) {
            decoded.invalidate(token);
            // the words NimbusJwtDecoder uses for the same failure
            throw new JwtValidationException("An error occurred while attempting to decode the Jwt: "
                    + result.getErrors().iterator().next().getDescription(), result.getErrors());
        }
        return jwt;
    }

    /** A token the decoder has just accepted (signature and validator). */
    void remember(String token, Jwt jwt) {
        decoded.put(token, jwt);
    }

    /** {@code decoder}, asked only for tokens not decoded before. */
    public JwtDecoder in(JwtDecoder decoder) {
        return token -> {
            Jwt remembered = recall(token);
            if (remembered != null) {
                return remembered;
            }
            Jwt jwt = decoder.decode(token);
            remember(token, jwt);
            return jwt;
        };
    }

    /** {@code decoder} (the gateway's), asked only for tokens not decoded before. */
    public ReactiveJwtDecoder in(ReactiveJwtDecoder decoder) {
        return token -> Mono.defer(() -> {
            Jwt remembered = recall(token);
            return remembered != null ? Mono.just(remembered) : decoder.decode(token).doOnNext(jwt -> remember(token, jwt));
        });
    }
}
