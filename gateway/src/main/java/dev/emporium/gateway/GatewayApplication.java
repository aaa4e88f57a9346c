package dev.emporium.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The platform's only public entry. Routes are configuration: see application.yml. */
@SpringBootApplication
@EnableConfigurationProperties(SafeRetryGatewayFilterFactory.Settings.class)
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
