package dev.emporium.user.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import dev.emporium.security.ServiceSecurity;

/** Who may call what on user-service. Anyone may register, log in and read the public keys. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ IdentitySettings.class, CreditSettings.class })
class SecurityConfiguration {

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return ServiceSecurity.resourceServer(http)
            .authorizeHttpRequests(requests -> requests
                .requestMatchers(HttpMethod.POST, "/api/users/register", "/api/users/login").permitAll()
                .requestMatchers(HttpMethod.GET, "/.well-known/jwks.json").permitAll()
                .requestMatchers(HttpMethod.HEAD, "/.well-known/jwks.json").permitAll()
                .requestMatchers(HttpMethod.POST, "/api/users/*/credit").hasRole("ADMIN")
                .requestMatchers("/api/users/dead-letters/**").hasRole("ADMIN")
                .anyRequest().authenticated())
            .build();
    }
}
