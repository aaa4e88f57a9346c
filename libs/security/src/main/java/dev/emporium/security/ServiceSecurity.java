package dev.emporium.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;

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

    public static HttpSecurity resourceServer(HttpSecurity http) throws Exception {
        return http
            .csrf(csrf -> csrf.disable()) // no cookies, no sessions: a bearer token cannot be ridden by another site
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .oauth2ResourceServer(server -> server
                .jwt(jwt -> jwt.jwtAuthenticationConverter(Tokens.authentication()))
                .authenticationEntryPoint(problems)
                .accessDeniedHandler(problems))
            .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems));
    }
}
