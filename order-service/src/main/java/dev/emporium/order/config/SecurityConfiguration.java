package dev.emporium.order.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import dev.emporium.security.ServiceSecurity;

/** Every order call needs a token; which orders a caller sees is decided per order (see OrderController). */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return ServiceSecurity.resourceServer(http)
            .authorizeHttpRequests(requests -> requests
                .requestMatchers("/api/orders/dead-letters/**", "/api/orders/resilience").hasRole("ADMIN")
                .anyRequest().authenticated())
            .build();
    }
}
