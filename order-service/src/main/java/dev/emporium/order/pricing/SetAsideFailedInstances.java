package dev.emporium.order.pricing;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.support.HttpRequestWrapper;

/**
 * Sends a call for {@code http://<service>/...} to an instance the load balancer chooses (Spring Cloud
 * LoadBalancer, round robin over what Eureka lists), as Spring's {@code LoadBalancerInterceptor} does,
 * but passes over an instance that failed lately (a broken connection or a 5xx) while another is
 * listed. The registry lists a dead instance until its lease expires; without this, every other attempt
 * of the pricing call's retry would meet it, and three attempts in a row could. The gateway does the
 * same for shoppers' requests ({@code RoundRobinLoadBalancer}).
 */
final class SetAsideFailedInstances implements ClientHttpRequestInterceptor {

    private static final Logger log = LoggerFactory.getLogger(SetAsideFailedInstances.class);

    /** Picks at most this many times to find an instance not set aside. */
    static final int PICKS = 3;

    private final LoadBalancerClient loadBalancer;
    private final Duration setAside;
    private final LongSupplier nanoTime;
    private final Map<URI, Long> failedUntil = new ConcurrentHashMap<>();

    SetAsideFailedInstances(LoadBalancerClient loadBalancer, Duration setAside, LongSupplier nanoTime) {
        this.loadBalancer = loadBalancer;
        this.setAside = setAside;
        this.nanoTime = nanoTime;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
        String service = request.getURI().getHost();
        ServiceInstance instance = pick(service);
        if (instance == null) {
            throw new IOException("No instance of " + service + " is listed in the registry");
        }
        URI routed = loadBalancer.reconstructURI(instance, request.getURI());
        try {
            ClientHttpResponse response = execution.execute(new HttpRequestWrapper(request) {
                @Override
                public URI getURI() {
                    return routed;
                }
            }, body);
            if (response.getStatusCode().is5xxServerError()) {
                setAside(service, instance, "answered " + response.getStatusCode().value());
            }
            return response;
        }
        catch (IOException e) {
            setAside(service, instance, e.toString());
            throw e;
        }
    }

    private void setAside(String service, ServiceInstance instance, String why) {
        failedUntil.put(instance.getUri(), nanoTime.getAsLong() + setAside.toNanos());
        log.warn("A call to {} at {} failed ({}); that instance is passed over for {} s while another is listed",
                service, instance.getUri(), why, setAside.toSeconds());
    }

    private ServiceInstance pick(String service) {
        ServiceInstance first = loadBalancer.choose(service);
        ServiceInstance chosen = first;
        for (int pick = 1; pick < PICKS && chosen != null && isSetAside(chosen); pick++) {
            chosen = loadBalancer.choose(service);
        }
        return chosen != null && !isSetAside(chosen) ? chosen : first;
    }

    private boolean isSetAside(ServiceInstance instance) {
        Long until = failedUntil.get(instance.getUri());
        return until != null && until - nanoTime.getAsLong() > 0;
    }
}
