package dev.emporium.gateway;

import java.util.List;

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
 * What both of the gateway's balancers do before they choose: take the instances the registry lists
 * and pass over those that failed lately ({@link InstanceLoad}) while any other is left. The registry
 * lists a dead instance until its lease expires; this is passive outlier ejection until then.
 */
abstract class SetAsideLoadBalancer implements ReactorServiceInstanceLoadBalancer {

    private final ObjectProvider<ServiceInstanceListSupplier> instances;
    private final String serviceId;
    protected final InstanceLoad loads;

    SetAsideLoadBalancer(ObjectProvider<ServiceInstanceListSupplier> instances, String serviceId, InstanceLoad loads) {
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
        return new DefaultResponse(pick(healthy.isEmpty() ? listed : healthy));
    }

    /** One of the candidates, none of them set aside unless all were. */
    abstract ServiceInstance pick(List<ServiceInstance> candidates);

    String serviceId() {
        return serviceId;
    }
}
