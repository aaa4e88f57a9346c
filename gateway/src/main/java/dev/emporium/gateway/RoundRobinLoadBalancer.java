package dev.emporium.gateway;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Each instance in turn, as Spring Cloud LoadBalancer's own round robin, but an instance that failed
 * lately ({@link InstanceLoad}: a refused or broken connection, a 5xx without {@code Retry-After}) is
 * set aside while any other is left ({@link SetAsideLoadBalancer}). Without that, every second request
 * would meet a dead instance that the registry still lists, and a retry (itself in turn among
 * concurrent requests) could meet it again.
 */
class RoundRobinLoadBalancer extends SetAsideLoadBalancer {

    private final AtomicInteger position = new AtomicInteger();

    RoundRobinLoadBalancer(ObjectProvider<ServiceInstanceListSupplier> instances, String serviceId, InstanceLoad loads) {
        super(instances, serviceId, loads);
    }

    @Override
    ServiceInstance pick(List<ServiceInstance> candidates) {
        List<ServiceInstance> inTurn = candidates.stream().sorted(Comparator.comparing(ServiceInstance::getUri)).toList(); // a stable order
        return inTurn.get(Math.floorMod(position.getAndIncrement(), inTurn.size()));
    }

    @Override
    public String toString() {
        return "round-robin balancer of " + serviceId();
    }
}
