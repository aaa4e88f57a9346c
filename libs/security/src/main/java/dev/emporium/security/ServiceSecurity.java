package dev.emporium.security;

import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;

/**
 * The part of every service's security that is the same everywhere: a stateless resource server
 * that checks the platform's tokens and answers problem+json. Each service adds its own rules:
 *
 * <pre>{@code
 * @Bean
 * SecurityFilterChain security(HttpSecurity http) throws Exception {
 *     return ServiceSecurity.resourceServer(http)
 *         .authorizeHttpRequests(requests -> requests
 *             .requestMatchers(HttpMethod.GET, "/api/products/**").permitAll()
 *             .anyRequest().authenticated())
 *         .build();
 * }
 * }</pre>
 */
public final class ServiceSecurity {

    private static final ProblemResponses problems = new ProblemResponses();

    private ServiceSecurity() {
    }

    /** By default an unreachable JWKS escapes as a 500; let the entry point answer 503 instead. */
    private static ObjectPostProcessor<BearerTokenAuthenticationFilter> answerKeyOutagesAsProblems() {
        return new ObjectPostProcessor<>() {
            @Override
            public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                AuthenticationEntryPointFailureHandler failures = new AuthenticationEntryPointFailureHandler(problems);
                failures.setRethrowAuthenticationServiceException(false);
                filter.setAuthenticationFailureHandler(failures);
                return filter;
            }
        };
    }

    public static HttpSecurity resourceServer(HttpSecurity http) throws Exception {
        return http
            .csrf(csrf -> csrf.disable()) // no cookies, no sessions: a bearer token cannot be ridden by another site
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .oauth2ResourceServer(server -> server
                .jwt(jwt -> jwt.jwtAuthenticationConverter(Tokens.authentication()))
                .authenticationEntryPoint(problems)
                .accessDeniedHandler(problems)
                .withObjectPostProcessor(answerKeyOutagesAsProblems()))
            .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
            .authorizeHttpRequests(requests -> requests
                // Error rendering, and the probes and metrics, which only the management port serves.
                .requestMatchers("/error", "/actuator/health/**", "/actuator/info", "/actuator/prometheus").permitAll()
                .requestMatchers(org.springframework.http.HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**").permitAll());
    }
}
