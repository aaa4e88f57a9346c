package dev.emporium.gateway;

import org.springframework.cloud.gateway.filter.headers.observation.DefaultGatewayObservationConvention;
import org.springframework.cloud.gateway.filter.headers.observation.GatewayObservationConvention;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's proxied calls keep their spans, but their timer gets a name of its own:
 * Spring Cloud Gateway names it {@code http.client.requests}, which Spring Boot's HTTP client
 * metrics already use with other tags (and {@code spring.cloud.gateway.requests} is its own metrics
 * filter's), and Prometheus refuses one name with two sets of tags.
 */
@Configuration(proxyBeanMethods = false)
class GatewayObservations {

    @Bean
    GatewayObservationConvention gatewayObservationConvention() {
        return new DefaultGatewayObservationConvention() {
            @Override
            public String getName() {
                return "spring.cloud.gateway.http.client.requests";
            }
        };
    }
}
