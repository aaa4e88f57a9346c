package dev.emporium.gateway;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.cloud.client.loadbalancer.ResponseData;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import reactor.netty.channel.AbortedException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which instance the least-loaded balancer picks, from what {@link InstanceLoad} saw (on a clock of its own). */
class LeastLoadedLoadBalancerTest {

    private final AtomicLong clock = new AtomicLong();
    private final InstanceLoad loads = new InstanceLoad(Duration.ofSeconds(10), clock::get);
    private final LeastLoadedLoadBalancer balancer = new LeastLoadedLoadBalancer(null, "inventory-service", loads);
    private final ServiceInstance a = instance(8082);
    private final ServiceInstance b = instance(8102);

    @Test
    void prefersTheInstanceWithFewerRequestsInFlight() {
        answer(a, 10, HttpStatus.OK);
        answer(b, 10, HttpStatus.OK);
        start(a);
        start(a);

        assertThat(chosen()).isEqualTo(b);
        start(b);
        start(b);
        start(b);
        assertThat(chosen()).isEqualTo(a);
    }

    @Test
    void weighsTheRequestsInFlightByHowLongTheInstanceTookLately() {
        answer(a, 200, HttpStatus.OK);
        answer(b, 20, HttpStatus.OK);
        assertThat(chosen()).as("both idle: the faster").isEqualTo(b);

        start(b);
        start(b);
        assertThat(chosen()).as("(2 + 1) x 20 ms < (0 + 1) x 200 ms").isEqualTo(b);
        for (int more = 0; more < 8; more++) {
            start(b);
        }
        assertThat(chosen()).as("(10 + 1) x 20 ms > 200 ms").isEqualTo(a);
    }

    @Test
    void setsAsideAnInstanceThatFailedUntilTheSetAsidePasses() {
        answer(a, 10, HttpStatus.OK);
        answer(b, 10, HttpStatus.OK);
        fail(b, new java.net.ConnectException("Connection refused"));
        start(a);
        start(a);
        start(a);

        assertThat(chosen()).as("busier, but b failed 0 s ago").isEqualTo(a);
        clock.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(chosen()).isEqualTo(b);
    }

    @Test
    void aServerErrorSetsAsideButLoadSheddingAndACallerWhoLeftDoNot() {
        answer(a, 10, HttpStatus.OK);
        answer(b, 10, HttpStatus.OK);
        start(a);

        HttpHeaders retryAfter = new HttpHeaders();
        retryAfter.set(HttpHeaders.RETRY_AFTER, "1");
        answer(b, 10, HttpStatus.SERVICE_UNAVAILABLE, retryAfter);
        fail(b, AbortedException.beforeSend());
        assertThat(loads.setAside(b)).isFalse();
        assertThat(chosen()).isEqualTo(b);

        answer(b, 10, HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(loads.setAside(b)).isTrue();
        assertThat(chosen()).isEqualTo(a);
    }

    @Test
    void anEventStreamCountsWhileOpenButGivesNoLatency() {
        answer(a, 10, HttpStatus.OK);
        HttpHeaders stream = new HttpHeaders();
        stream.setContentType(MediaType.TEXT_EVENT_STREAM);
        answer(a, 60_000, HttpStatus.OK, stream);

        assertThat(loads.of(a).latencyMillis).isEqualTo(10);
        assertThat(loads.of(a).inFlight.get()).isZero();
    }

    @Test
    void whenEveryInstanceFailedLatelyItStillPicksOne() {
        fail(a, new java.net.ConnectException("Connection refused"));
        fail(b, new java.net.ConnectException("Connection refused"));

        assertThat(chosen()).isIn(a, b);
        assertThat(balancer.choose(List.of()).hasServer()).isFalse();
    }

    private ServiceInstance chosen() {
        return balancer.choose(List.of(a, b)).getServer();
    }

    private Request<RequestDataContext> start(ServiceInstance instance) {
        Request<RequestDataContext> request = new DefaultRequest<>(new RequestDataContext(new RequestData(HttpMethod.GET,
                java.net.URI.create("http://inventory-service/api/products"), new HttpHeaders(), new LinkedMultiValueMap<>(), null)));
        loads.onStartRequest(request, new DefaultResponse(instance));
        return request;
    }

    private void answer(ServiceInstance instance, long millis, HttpStatus status) {
        answer(instance, millis, status, new HttpHeaders());
    }

    private void answer(ServiceInstance instance, long millis, HttpStatus status, HttpHeaders headers) {
        Request<RequestDataContext> request = start(instance);
        clock.addAndGet(Duration.ofMillis(millis).toNanos());
        loads.onComplete(new CompletionContext<>(CompletionContext.Status.SUCCESS, request, new DefaultResponse(instance),
                new ResponseData(status, headers, new LinkedMultiValueMap<>(), null)));
    }

    private void fail(ServiceInstance instance, Throwable failure) {
        Request<RequestDataContext> request = start(instance);
        loads.onComplete(new CompletionContext<>(CompletionContext.Status.FAILED, failure, request, new DefaultResponse(instance)));
    }

    private static ServiceInstance instance(int port) {
        return new DefaultServiceInstance("inventory-service-" + port, "inventory-service", "localhost", port, false);
    }
}
