package dev.emporium.gateway;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

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
 * Least loaded, not next in turn: of the instances the registry lists, the one with the lowest
 * (requests in flight + 1) × recent latency, from {@link InstanceLoad}; ties broken at random. An
 * instance that failed lately is set aside while any other is left. A slow or stalled instance thus
 * gets fewer requests as its answers slow down and its requests pile up, where round robin would go
 * on sending it every second one. (Spring Cloud LoadBalancer's own choices are round robin and random.)
 */
class LeastLoadedLoadBalancer implements ReactorServiceInstanceLoadBalancer {

    private final ObjectProvider<ServiceInstanceListSupplier> instances;
    private final String serviceId;
    private final InstanceLoad loads;

    LeastLoadedLoadBalancer(ObjectProvider<ServiceInstanceListSupplier> instances, String serviceId, InstanceLoad loads) {
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
        List<ServiceInstance> candidates = healthy.isEmpty() ? listed : healthy;
        double known = candidates.stream().mapToDouble(instance -> loads.of(instance).latencyMillis).filter(millis -> millis > 0)
            .min().orElse(1);
        double best = candidates.stream().mapToDouble(instance -> score(instance, known)).min().orElseThrow();
        List<ServiceInstance> leastLoaded = candidates.stream().filter(instance -> score(instance, known) <= best).toList();
        return new DefaultResponse(leastLoaded.get(ThreadLocalRandom.current().nextInt(leastLoaded.size())));
    }

    /** An instance without an answer yet counts as fast as the fastest known, so that it gets tried. */
    private double score(ServiceInstance instance, double fastestKnown) {
        InstanceLoad.Load load = loads.of(instance);
        double latency = load.latencyMillis > 0 ? load.latencyMillis : fastestKnown;
        return (load.inFlight.get() + 1) * latency;
    }

    @Override
    public String toString() {
        return "least-loaded balancer of " + serviceId;
    }
}
