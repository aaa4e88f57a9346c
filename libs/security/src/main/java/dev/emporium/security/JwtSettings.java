package dev.emporium.security;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code emporium.security.jwt.*}: what a valid access token looks like.
 *
 * @param issuer the {@code iss} every token must carry (user-service issues them)
 * @param audience a value the {@code aud} claim must contain
 * @param jwkSetUri where the signing keys are published; {@code lb://user-service/...} is resolved
 *        through the service registry, an {@code http(s)} URI is fetched as it is
 * @param clockSkew how far apart clocks may be when checking {@code exp} and {@code nbf}
 */
@ConfigurationProperties("emporium.security.jwt")
public record JwtSettings(@DefaultValue("emporium") String issuer, @DefaultValue("emporium") String audience,
        @DefaultValue("lb://user-service/.well-known/jwks.json") URI jwkSetUri, @DefaultValue("30s") Duration clockSkew) {

    public boolean jwkSetUriIsLoadBalanced() {
        return "lb".equals(jwkSetUri.getScheme());
    }

    /** The URI to fetch: {@code lb://name/path} becomes {@code http://name/path}, for the load balancer to resolve. */
    public String jwkSetFetchUri() {
        return jwkSetUriIsLoadBalanced() ? "http" + jwkSetUri.toString().substring(2) : jwkSetUri.toString();
    }
}
