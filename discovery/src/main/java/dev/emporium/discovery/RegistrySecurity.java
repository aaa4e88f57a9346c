package dev.emporium.discovery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The registry answers only to the platform's own processes: every read and write of {@code /eureka/**}
 * (and the dashboard) needs HTTP Basic credentials, {@code EMPORIUM_EUREKA_USERNAME} /
 * {@code EMPORIUM_EUREKA_PASSWORD}; anonymous callers get 401. Without this, anyone who reaches the
 * port could register a fake user-service and receive logins. Eureka's clients send no CSRF token
 * and keep no session, so neither is used. Health, info and prometheus, on the management port, stay
 * open to the probes and the scraper.
 * <p>
 * The password is a generated secret, not a person's: it is compared in constant time, not hashed.
 * Spring Boot's default user is checked with BCrypt, and every client renews its lease and fetches
 * the registry every second: a BCrypt check per call kept a third of a core busy doing nothing useful.
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

    @Bean
    UserDetailsService registryUser(@Value("${spring.security.user.name}") String name,
            @Value("${spring.security.user.password}") String password) {
        return new InMemoryUserDetailsManager(User.withUsername(name).password(password).roles("REGISTRY").build());
    }

    /** The secret as it is, compared in constant time. */
    @Bean
    PasswordEncoder secretComparison() {
        return new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                return raw.toString();
            }

            @Override
            public boolean matches(CharSequence raw, String expected) {
                return expected != null && MessageDigest.isEqual(raw.toString().getBytes(StandardCharsets.UTF_8),
                        expected.getBytes(StandardCharsets.UTF_8));
            }
        };
    }
}
