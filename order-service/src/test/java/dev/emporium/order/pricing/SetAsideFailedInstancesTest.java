package dev.emporium.order.pricing;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.cloud.client.loadbalancer.LoadBalancerRequest;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/** The pricing call's choice of inventory-service instance when one of two is dead. */
class SetAsideFailedInstancesTest {

    final ServiceInstance dead = new DefaultServiceInstance("inventory-service-1", "inventory-service", "localhost", 8082, false);
    final ServiceInstance alive = new DefaultServiceInstance("inventory-service-2", "inventory-service", "localhost", 8102, false);
    final AtomicLong now = new AtomicLong();
    final List<Integer> reached = new ArrayList<>();
    final SetAsideFailedInstances interceptor = new SetAsideFailedInstances(new RoundRobin(dead, alive), Duration.ofSeconds(10), now::get);

    final ClientHttpRequestExecution network = (request, body) -> {
        reached.add(request.getURI().getPort());
        if (request.getURI().getPort() == dead.getPort()) {
            throw new ConnectException("Connection refused");
        }
        return new MockClientHttpResponse(new byte[0], HttpStatus.OK);
    };

    @Test
    void aDeadInstanceIsPassedOverAfterItsFirstFailureUntilItsTimeIsUp() throws IOException {
        assertThatIOException().isThrownBy(() -> call()).withMessage("Connection refused");

        for (int i = 0; i < 10; i++) {
            assertThat(call()).isEqualTo(HttpStatus.OK.value());
        }
        assertThat(reached).as("the ports each call reached").containsExactly(8082, 8102, 8102, 8102, 8102, 8102, 8102, 8102, 8102, 8102, 8102);

        now.addAndGet(Duration.ofSeconds(11).toNanos());
        reached.clear();
        for (int i = 0; i < 2; i++) {
            try {
                call();
            }
            catch (ConnectException refused) {
                // the dead instance, tried again
            }
        }
        assertThat(reached).as("tried again once its time is up").contains(8082);
    }

    @Test
    void whenEveryInstanceFailedLatelyItStillCallsOne() throws IOException {
        SetAsideFailedInstances onlyDead = new SetAsideFailedInstances(new RoundRobin(dead), Duration.ofSeconds(10), now::get);
        for (int i = 0; i < 3; i++) {
            assertThatIOException().isThrownBy(() -> onlyDead.intercept(new MockClientHttpRequest(HttpMethod.GET,
                    URI.create("http://inventory-service/api/products/1")), new byte[0], network));
        }
        assertThat(reached).containsExactly(8082, 8082, 8082);
    }

    private int call() throws IOException {
        return interceptor.intercept(new MockClientHttpRequest(HttpMethod.GET, URI.create("http://inventory-service/api/products/1")),
                new byte[0], network).getStatusCode().value();
    }

    /** Spring Cloud LoadBalancer's round robin, over a fixed list. */
    private static final class RoundRobin implements LoadBalancerClient {

        private final List<ServiceInstance> instances;
        private final AtomicInteger position = new AtomicInteger();

        RoundRobin(ServiceInstance... instances) {
            this.instances = List.of(instances);
        }

        @Override
        public ServiceInstance choose(String serviceId) {
            return instances.get(Math.floorMod(position.getAndIncrement(), instances.size()));
        }

        @Override
        public <T> ServiceInstance choose(String serviceId, org.springframework.cloud.client.loadbalancer.Request<T> request) {
            return choose(serviceId);
        }

        @Override
        public URI reconstructURI(ServiceInstance instance, URI original) {
            return URI.create("http://" + instance.getHost() + ":" + instance.getPort() + original.getRawPath());
        }

        @Override
        public <T> T execute(String serviceId, LoadBalancerRequest<T> request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T execute(String serviceId, ServiceInstance serviceInstance, LoadBalancerRequest<T> request) {
            throw new UnsupportedOperationException();
        }
    }
}
