package dev.emporium.order.pricing;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.cloud.client.loadbalancer.LoadBalancerClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * Asks inventory-service (found through Eureka) what products cost now. Every call goes through, from
 * the outside in: a bulkhead (at most so many calls at once), a circuit breaker (stop calling a
 * service that keeps failing, answer at once instead), a retry with jittered back-off (a read, so it
 * is safe to repeat, each attempt passing over an instance that failed lately: {@link SetAsideFailedInstances}),
 * and the HTTP client's own timeouts (0.5 s to connect, 1 s to answer). The
 * breaker's state is exported as {@code resilience4j_circuitbreaker_state{name="inventory-pricing"}}.
 */
@Component
public class InventoryPrices {

    static final String NAME = "inventory-pricing";

    /** How long an instance that failed a call is passed over while another is listed. */
    static final Duration SET_ASIDE = Duration.ofSeconds(10);

    /** What one product costs. */
    public record Price(UUID productId, BigDecimal amount, String currency) {
    }

    private record ProductView(UUID id, PriceView price) {
    }

    private record PriceView(BigDecimal amount, String currency) {
    }

    private final RestClient inventory;
    private final Bulkhead bulkhead;
    private final CircuitBreaker breaker;
    private final Retry retry;

    InventoryPrices(LoadBalancerClient loadBalancer, BulkheadRegistry bulkheads, CircuitBreakerRegistry breakers,
            RetryRegistry retries, ObservationRegistry observations) {
        JdkClientHttpRequestFactory timeouts = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build());
        timeouts.setReadTimeout(Duration.ofSeconds(1));
        // A client of its own: a @LoadBalanced RestClient.Builder bean would also capture Eureka's own client.
        this.inventory = RestClient.builder()
            .baseUrl("http://inventory-service")
            .requestFactory(timeouts)
            .requestInterceptor(new SetAsideFailedInstances(loadBalancer, SET_ASIDE, System::nanoTime))
            // a client span per attempt, and the traceparent header inventory-service continues
            .observationRegistry(observations)
            .build();
        this.bulkhead = bulkheads.bulkhead(NAME);
        this.breaker = breakers.circuitBreaker(NAME);
        this.retry = retries.retry(NAME);
    }

    /**
     * @throws UnknownProductException if the catalogue does not have one of the products
     * @throws PricingUnavailableException if inventory-service cannot answer now
     */
    public Map<UUID, Price> of(Collection<UUID> productIds) {
        Map<UUID, Price> prices = new LinkedHashMap<>();
        for (UUID productId : productIds) {
            prices.put(productId, guarded(() -> fetch(productId)));
        }
        return prices;
    }

    private Price fetch(UUID productId) {
        try {
            ProductView product = inventory.get().uri("/api/products/{id}", productId).retrieve().body(ProductView.class);
            return new Price(productId, product.price().amount(), product.price().currency());
        }
        catch (HttpClientErrorException e) {
            if (e.getStatusCode() == HttpStatus.NOT_FOUND) {
                throw new UnknownProductException(productId);
            }
            throw e;
        }
    }

    private Price guarded(Supplier<Price> call) {
        Supplier<Price> decorated = Bulkhead.decorateSupplier(bulkhead,
                CircuitBreaker.decorateSupplier(breaker, Retry.decorateSupplier(retry, call)));
        try {
            return decorated.get();
        }
        catch (UnknownProductException e) {
            throw e;
        }
        catch (CallNotPermittedException e) {
            throw new PricingUnavailableException("inventory-service's circuit breaker is open: it failed too often lately", e);
        }
        catch (BulkheadFullException e) {
            throw new PricingUnavailableException("Too many orders are being priced at once", e);
        }
        catch (RuntimeException e) {
            throw new PricingUnavailableException("inventory-service could not price the order: " + e.getMessage(), e);
        }
    }
}
