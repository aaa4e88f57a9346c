package dev.emporium.gateway;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.EmptyResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.loadbalancer.core.NoopServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.ReactorServiceInstanceLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Mono;

/**
 * Each instance in turn, as Spring Cloud LoadBalancer's own round robin, but an instance that failed
 * lately ({@link InstanceLoad}: a refused or broken connection, a 5xx without {@code Retry-After}) is
 * set aside while any other is left. The registry lists a dead instance until its lease expires (90 s
 * by default); without this, every second request would meet it first, and a retry (itself in turn
 * among concurrent requests) could meet it again.
 */
class RoundRobinLoadBalancer implements ReactorServiceInstanceLoadBalancer {

    private final ObjectProvider<ServiceInstanceListSupplier> instances;
    private final String serviceId;
    private final InstanceLoad loads;
    private final AtomicInteger position = new AtomicInteger();

    RoundRobinLoadBalancer(ObjectProvider<ServiceInstanceListSupplier> instances, String serviceId, InstanceLoad loads) {
        this.instances = instances;
        this.serviceId = serviceId;
        this.loads = loads;
    }

    @Override
    public Mono<Response<ServiceInstance>> choose(Request request) {
        ServiceInstanceListSupplier supplier = instances.getIfAvailable(NoopServiceInstanceListSupplier::new);
        return supplier.get(request).next().map(this::choose);
    }

    Response<ServiceInstance> choose(List<ServiceInstance> listed) {
        if (listed.isEmpty()) {
            return new EmptyResponse();
        }
        List<ServiceInstance> healthy = listed.stream().filter(instance -> !loads.setAside(instance)).toList();
        List<ServiceInstance> candidates = (healthy.isEmpty() ? listed : healthy).stream()
            .sorted(Comparator.comparing(ServiceInstance::getUri)).toList(); // a stable order to take turns in
        return new DefaultResponse(candidates.get(Math.floorMod(position.getAndIncrement(), candidates.size())));
    }

    @Override
    public String toString() {
        return "round-robin balancer of " + serviceId;
    }
}
