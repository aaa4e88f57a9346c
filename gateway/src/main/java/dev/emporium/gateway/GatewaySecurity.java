package dev.emporium.gateway;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerExchangeFilterFunction;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.util.retry.Retry;

import dev.emporium.security.DecodedTokens;
import dev.emporium.security.JwtSettings;
import dev.emporium.security.Tokens;

/**
 * The edge: every route needs a valid token except registering, logging in, the public keys and
 * reading the catalogue. Tokens are checked here and again by each service (no trust by position).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ JwtSettings.class, RateLimits.class })
class GatewaySecurity {

    /** Open to everyone, read-only (GET, and HEAD as GET without the body): the catalogue and user-service's public keys. */
    static final String[] PUBLIC_READS = { "/api/products", "/api/products/**", "/.well-known/jwks.json" };

    /**
     * Reading the catalogue and the public keys: nothing to authenticate, so none of the token,
     * authorization and error-translation filters run. A token sent along is not looked at here;
     * inventory-service checks it as every service does. Browsing is most of a shop's traffic, and a
     * shorter chain is less work for each such GET.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityWebFilterChain publicReads(ServerHttpSecurity http) {
        return stateless(http, API_POLICY)
            .securityMatcher(ServerWebExchangeMatchers.matchers(ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, PUBLIC_READS),
                    ServerWebExchangeMatchers.pathMatchers(HttpMethod.HEAD, PUBLIC_READS)))
            .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
            .build();
    }

    /** The pages a browser renders: the storefront (static files and its settings), the Swagger UI and the WebJars it loads. */
    static final String[] PAGES = { "/", "/index.html", "/shop/**", "/favicon.ico", "/swagger-ui.html", "/swagger-ui/**", "/webjars/**" };

    /** What the API's answers may load: nothing (a JSON body is never a page). */
    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

    /**
     * What the pages may load: scripts, styles and fonts from the gateway itself and nowhere else; images
     * also as data: URLs and inline style attributes (both Swagger UI's); the API they call, same origin.
     */
    static final String PAGE_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none';"
            + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** The pages: anyone may load them, with a policy that lets them run (the API's own refuses every script). */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityWebFilterChain pages(ServerHttpSecurity http) {
        return stateless(http, PAGE_POLICY)
            .securityMatcher(ServerWebExchangeMatchers.matchers(ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, PAGES),
                    ServerWebExchangeMatchers.pathMatchers(HttpMethod.HEAD, PAGES)))
            .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
            .build();
    }

    /**
     * Spring Security's firewall refuses some methods (TRACE), paths (encoded slashes, percents, dot
     * segments), headers and parameters; by default with an empty 400. Here with a problem saying which
     * ({@link dev.emporium.security.FirewallRefusal}), like every other refusal.
     */
    @Bean
    org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler rejectedRequests(Problems problems) {
        return (exchange, rejected) -> {
            var refusal = dev.emporium.security.FirewallRefusal.of(rejected.getMessage());
            refusal.allow().ifPresent(methods -> exchange.getResponse().getHeaders().set(org.springframework.http.HttpHeaders.ALLOW, methods));
            return problems.answer(exchange, org.springframework.http.HttpStatusCode.valueOf(refusal.status()), refusal.detail());
        };
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    SecurityWebFilterChain security(ServerHttpSecurity http, Problems problems) {
        ServerAuthenticationFailureHandler failures = (exchange, exception) -> problems.unauthenticated(exchange.getExchange(),
                exception instanceof AuthenticationServiceException);
        return stateless(http, API_POLICY)
            .addFilterAfter(new ApiMethods(problems), SecurityWebFiltersOrder.HTTP_HEADERS_WRITER)
            .authorizeExchange(exchanges -> exchanges
                .pathMatchers(HttpMethod.POST, "/api/users/register", "/api/users/login").permitAll()
                // every service's OpenAPI document (the Swagger UI that shows them is one of the PAGES)
                .pathMatchers(HttpMethod.GET, "/v3/api-docs/**").permitAll()
                .pathMatchers(HttpMethod.HEAD, "/v3/api-docs/**").permitAll()
                // No route leads here, so this answers 404 to everyone; the management port serves only
                // health, info and prometheus.
                .pathMatchers("/actuator/**").permitAll()
                .anyExchange().authenticated())
            .oauth2ResourceServer(server -> server
                .jwt(jwt -> jwt.jwtAuthenticationConverter(new ReactiveJwtAuthenticationConverterAdapter(Tokens.authentication())))
                .authenticationEntryPoint((exchange, exception) -> problems.unauthenticated(exchange, false))
                .accessDeniedHandler((exchange, denied) -> problems.forbidden(exchange))
                .authenticationFailureHandler(failures))
            .exceptionHandling(errors -> errors
                .authenticationEntryPoint((exchange, exception) -> problems.unauthenticated(exchange, false))
                .accessDeniedHandler((exchange, denied) -> problems.forbidden(exchange)))
            .build();
    }

    /** What every chain shares: bearer tokens only, nothing remembered between requests, the security headers. */
    private static ServerHttpSecurity stateless(ServerHttpSecurity http, String contentSecurityPolicy) {
        return http
            .csrf(ServerHttpSecurity.CsrfSpec::disable) // bearer tokens only: nothing a browser sends by itself
            .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
            .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
            .logout(ServerHttpSecurity.LogoutSpec::disable) // no session to end: a token expires on its own
            // Stateless: every request carries its token. Without these two, Spring Security asks for a
            // WebSession on every request (to remember it, and to look for a stored login), and creating
            // one hops to two other thread pools, on every request.
            .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
            .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
            .headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)));
    }

    /** Attempts to fetch the signing keys, each on the instance the balancer picks next. */
    static final int KEY_FETCH_ATTEMPTS = 3;

    /**
     * The signing keys come from user-service, found through Eureka unless configured otherwise. A fetch
     * that cannot reach the instance it was sent to is tried again (a dead instance stays listed for a while).
     */
    @Bean
    ReactiveJwtDecoder jwtDecoder(JwtSettings settings, ObjectProvider<ReactorLoadBalancerExchangeFilterFunction> loadBalancer) {
        WebClient.Builder http = WebClient.builder().filter(retriedWhenUnreachable());
        if (settings.jwkSetUriIsLoadBalanced()) {
            http.filter(loadBalancer.getObject());
        }
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(settings.jwkSetFetchUri()).webClient(http.build()).build();
        OAuth2TokenValidator<Jwt> validator = Tokens.validator(settings);
        decoder.setJwtValidator(validator);
        // a token seen before skips parsing and the signature check; the validator runs on every use
        return new DecodedTokens(validator).in(decoder);
    }

    /** Outside the balancer's filter, so that each attempt asks the balancer again. */
    static ExchangeFilterFunction retriedWhenUnreachable() {
        return (request, next) -> next.exchange(request)
            .retryWhen(Retry.max(KEY_FETCH_ATTEMPTS - 1).filter(WebClientRequestException.class::isInstance));
    }
}
