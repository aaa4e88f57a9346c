package dev.emporium.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.ResponseData;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * What the gateway knows about each instance it proxies to, from the requests it sent there: how many
 * are in flight now, how long the recent ones took (an exponentially weighted moving average), and
 * whether the instance failed lately. Fed by Spring Cloud LoadBalancer's lifecycle callbacks, which
 * the gateway's load-balancer filter calls for every routed request; read by
 * {@link LeastLoadedLoadBalancer}.
 * <p>
 * A failure sets the instance aside for a while: a connection it refused or broke (not a caller who
 * left), or a 5xx without
 * {@code Retry-After} (a 503 with it is a service shedding load, not a broken one). Event streams
 * (the saga console) count while open but give no latency: they last as long as the page watches.
 */
class InstanceLoad implements LoadBalancerLifecycle<RequestDataContext, ResponseData, ServiceInstance> {

    /** How much one new latency moves the average: about the last ten requests count. */
    static final double WEIGHT = 0.1;

    private final Map<String, Load> loads = new ConcurrentHashMap<>();
    private final Map<Started, Long> startedAt = new ConcurrentHashMap<>();
    private final Duration setAside;
    private final LongSupplier nanoTime;

    InstanceLoad(Duration setAside, LongSupplier nanoTime) {
        this.setAside = setAside;
        this.nanoTime = nanoTime;
    }

    /** One instance's figures; latency 0 until its first answer. */
    static final class Load {

        final AtomicInteger inFlight = new AtomicInteger();
        volatile double latencyMillis;
        /** A {@link System#nanoTime()} reading: compared by difference only, never as a number on its own. */
        volatile long setAsideUntil;

        Load(long now) {
            this.setAsideUntil = now;
        }
    }

    Load of(ServiceInstance instance) {
        return loads.computeIfAbsent(key(instance), key -> new Load(nanoTime.getAsLong()));
    }

    boolean setAside(ServiceInstance instance) {
        return of(instance).setAsideUntil - nanoTime.getAsLong() > 0;
    }

    @Override
    public boolean supports(Class requestContextClass, Class responseClass, Class serverTypeClass) {
        return RequestDataContext.class.isAssignableFrom(requestContextClass) && ResponseData.class.isAssignableFrom(responseClass)
                && ServiceInstance.class.isAssignableFrom(serverTypeClass);
    }

    @Override
    public void onStart(Request<RequestDataContext> request) {
    }

    @Override
    public void onStartRequest(Request<RequestDataContext> request, Response<ServiceInstance> lbResponse) {
        if (lbResponse.hasServer()) {
            of(lbResponse.getServer()).inFlight.incrementAndGet();
            startedAt.put(new Started(request), nanoTime.getAsLong());
        }
    }

    @Override
    public void onComplete(CompletionContext<ResponseData, ServiceInstance, RequestDataContext> completion) {
        Response<ServiceInstance> lbResponse = completion.getLoadBalancerResponse();
        if (lbResponse == null || !lbResponse.hasServer()) {
            return;
        }
        Load load = of(lbResponse.getServer());
        load.inFlight.decrementAndGet();
        Long started = startedAt.remove(new Started(completion.getLoadBalancerRequest()));
        ResponseData answer = completion.getClientResponse();
        boolean failed = completion.status() == CompletionContext.Status.FAILED
                && !ProblemErrorHandler.isClientGone(completion.getThrowable()) || answer != null && answer.getHttpStatus() != null
                && answer.getHttpStatus().is5xxServerError() && !answer.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER);
        if (failed) {
            load.setAsideUntil = nanoTime.getAsLong() + setAside.toNanos();
        }
        else if (started != null && !isEventStream(answer)) {
            double millis = (nanoTime.getAsLong() - started) / 1e6;
            load.latencyMillis = load.latencyMillis == 0 ? millis : load.latencyMillis + WEIGHT * (millis - load.latencyMillis);
        }
    }

    private static boolean isEventStream(ResponseData answer) {
        MediaType type = answer == null ? null : answer.getHeaders().getContentType();
        return type != null && MediaType.TEXT_EVENT_STREAM.isCompatibleWith(type);
    }

    private static String key(ServiceInstance instance) {
        return instance.getServiceId() + "@" + instance.getHost() + ":" + instance.getPort();
    }

    /** The load balancer's request by identity: two identical requests in flight are two. */
    private record Started(Object request) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Started started && started.request == request;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(request);
        }
    }
}
