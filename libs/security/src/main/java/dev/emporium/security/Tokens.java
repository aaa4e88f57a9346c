package dev.emporium.security;

import java.util.List;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

/** The rules a token must pass, shared by the services and the gateway. */
public final class Tokens {

    /** The claim that lists a user's roles, e.g. {@code ["CUSTOMER"]}. */
    public static final String ROLES = "roles";

    private Tokens() {
    }

    /** Whether the token carries {@code role} in its {@code roles} claim (for object-level checks in controllers). */
    public static boolean hasRole(Jwt token, String role) {
        List<String> roles = token.getClaimAsStringList(ROLES);
        return roles != null && roles.contains(role);
    }

    /** Expiry and not-before (with the allowed clock skew), issuer and audience. The signature is checked by the decoder. */
    public static OAuth2TokenValidator<Jwt> validator(JwtSettings settings) {
        return new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(settings.clockSkew()),
                new JwtIssuerValidator(settings.issuer()),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                        audience -> audience != null && audience.contains(settings.audience())));
    }

    /** {@code roles: ["ADMIN"]} becomes the authority {@code ROLE_ADMIN}, so {@code hasRole("ADMIN")} works. */
    public static Converter<Jwt, AbstractAuthenticationToken> authentication() {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName(ROLES);
        roles.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(roles);
        return converter;
    }
}
