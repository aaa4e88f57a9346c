package dev.emporium.gateway;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Least loaded, not next in turn: of the instances the registry lists, the one with the lowest
 * (requests in flight + 1) × recent latency, from {@link InstanceLoad}; ties broken at random. An
 * instance that failed lately is set aside while any other is left ({@link SetAsideLoadBalancer}). A slow or stalled instance thus
 * gets fewer requests as its answers slow down and its requests pile up, where round robin would go
 * on sending it every second one. (Spring Cloud LoadBalancer's own choices are round robin and random.)
 */
class LeastLoadedLoadBalancer extends SetAsideLoadBalancer {

    LeastLoadedLoadBalancer(ObjectProvider<ServiceInstanceListSupplier> instances, String serviceId, InstanceLoad loads) {
        super(instances, serviceId, loads);
    }

    @Override
    ServiceInstance pick(List<ServiceInstance> candidates) {
        double known = candidates.stream().mapToDouble(instance -> loads.of(instance).latencyMillis).filter(millis -> millis > 0)
            .min().orElse(1);
        double best = candidates.stream().mapToDouble(instance -> score(instance, known)).min().orElseThrow();
        List<ServiceInstance> leastLoaded = candidates.stream().filter(instance -> score(instance, known) <= best).toList();
        return leastLoaded.get(ThreadLocalRandom.current().nextInt(leastLoaded.size()));
    }

    /** An instance without an answer yet counts as fast as the fastest known, so that it gets tried. */
    private double score(ServiceInstance instance, double fastestKnown) {
        InstanceLoad.Load load = loads.of(instance);
        double latency = load.latencyMillis > 0 ? load.latencyMillis : fastestKnown;
        return (load.inFlight.get() + 1) * latency;
    }

    @Override
    public String toString() {
        return "least-loaded balancer of " + serviceId();
    }
}
