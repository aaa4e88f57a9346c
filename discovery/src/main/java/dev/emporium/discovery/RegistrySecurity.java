package dev.emporium.discovery;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The registry answers only to the platform's own processes: every read and write of {@code /eureka/**}
 * (and the dashboard) needs HTTP Basic credentials, {@code EMPORIUM_EUREKA_USERNAME} /
 * {@code EMPORIUM_EUREKA_PASSWORD}; anonymous callers get 401. Without this, anyone who reaches the
 * port could register a fake user-service and receive logins. Eureka's clients send no CSRF token
 * and keep no session, so neither is used. Health, info and prometheus, on the management port, stay
 * open to the probes and the scraper.
 */
@Configuration(proxyBeanMethods = false)
class RegistrySecurity {

    @Bean
    SecurityFilterChain registry(HttpSecurity http) throws Exception {
        return http
            .authorizeHttpRequests(requests -> requests
                .requestMatchers("/actuator/health/**", "/actuator/info", "/actuator/prometheus").permitAll()
                .anyRequest().authenticated())
            .httpBasic(Customizer.withDefaults())
            .csrf(csrf -> csrf.disable())
            .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .build();
    }
}
