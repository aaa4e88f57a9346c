package dev.emporium.gateway;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.cloud.loadbalancer.core.ReactorLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Which instance of a service the gateway sends a request to: {@code emporium.gateway.balancer} is
 * {@code round-robin} ({@link RoundRobinLoadBalancer}, each in turn) or {@code least-loaded}
 * ({@link LeastLoadedLoadBalancer}). Either way {@link InstanceLoad} follows every instance's requests
 * in flight, latency and failures, and an instance that failed lately is set aside while another is left.
 */
@Configuration(proxyBeanMethods = false)
@LoadBalancerClients(defaultConfiguration = Balancing.PerService.class)
class Balancing {

    @Bean
    InstanceLoad instanceLoad(@Value("${emporium.gateway.balancer:round-robin}") String balancer,
            @Value("${emporium.gateway.balancer-set-aside:10s}") Duration setAside) {
        if (!balancer.equals("round-robin") && !balancer.equals("least-loaded")) {
            throw new IllegalStateException("emporium.gateway.balancer (EMPORIUM_BALANCER) is '" + balancer
                    + "'; it must be round-robin or least-loaded");
        }
        return new InstanceLoad(setAside, System::nanoTime);
    }

    /**
     * Made in each service's own load-balancer context (so not a {@code @Configuration} that component
     * scanning would also pick up).
     */
    static class PerService {

        @Bean
        @ConditionalOnProperty(name = "emporium.gateway.balancer", havingValue = "round-robin", matchIfMissing = true)
        ReactorLoadBalancer<ServiceInstance> roundRobinLoadBalancer(Environment environment, LoadBalancerClientFactory clients,
                InstanceLoad loads) {
            String service = environment.getProperty(LoadBalancerClientFactory.PROPERTY_NAME);
            return new RoundRobinLoadBalancer(clients.getLazyProvider(service, ServiceInstanceListSupplier.class), service, loads);
        }

        @Bean
        @ConditionalOnProperty(name = "emporium.gateway.balancer", havingValue = "least-loaded")
        ReactorLoadBalancer<ServiceInstance> leastLoadedLoadBalancer(Environment environment, LoadBalancerClientFactory clients,
                InstanceLoad loads) {
            String service = environment.getProperty(LoadBalancerClientFactory.PROPERTY_NAME);
            return new LeastLoadedLoadBalancer(clients.getLazyProvider(service, ServiceInstanceListSupplier.class), service, loads);
        }
    }
}
