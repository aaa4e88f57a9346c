package dev.emporium.inventory.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import dev.emporium.security.ServiceSecurity;

/** Anyone may browse the catalogue; everything else needs a token, and stock and dead letters an admin. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return ServiceSecurity.resourceServer(http)
            .authorizeHttpRequests(requests -> requests
                .requestMatchers(HttpMethod.GET, "/api/products", "/api/products/**").permitAll()
                .requestMatchers(HttpMethod.HEAD, "/api/products", "/api/products/**").permitAll()
                .requestMatchers("/api/products", "/api/products/**").hasRole("ADMIN")
                .requestMatchers("/api/inventory/**").hasRole("ADMIN")
                .anyRequest().authenticated())
            .build();
    }
}
