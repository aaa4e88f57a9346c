package dev.emporium.gateway;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Token-bucket rate limits (Bucket4j), answered with 429 and {@code Retry-After}. Two layers: per
 * client address before the token is even checked (so forged tokens and password guessing cost the
 * sender), and per signed-in user once it is. Buckets live in this instance's memory, bounded.
 */
@Component
class RateLimiting implements WebFilter, GlobalFilter, Ordered {

    /** Before Spring Security's filter chain (order -100). */
    static final int ORDER = -200;

    private final RateLimits limits;
    private final Problems problems;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
        .maximumSize(100_000)
        .expireAfterAccess(Duration.ofMinutes(10))
        .build();

    RateLimiting(RateLimits limits, Problems problems) {
        this.limits = limits;
        this.problems = problems;
    }

    /** Per address: every request, and logins and registrations each on their own, stricter bucket. */
    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String address = clientAddress(exchange);
        if (HttpMethod.POST.equals(exchange.getRequest().getMethod())) {
            String path = exchange.getRequest().getPath().value();
            ConsumptionProbe own = path.equals("/api/users/login") ? take("login:" + address, limits.login())
                    : path.equals("/api/users/register") ? take("register:" + address, limits.registration()) : null;
            if (own != null && !own.isConsumed()) {
                return problems.tooManyRequests(exchange, Duration.ofNanos(own.getNanosToWaitForRefill()));
            }
        }
        ConsumptionProbe request = take("address:" + address, limits.perAddress());
        return request.isConsumed() ? chain.filter(exchange)
                : problems.tooManyRequests(exchange, Duration.ofNanos(request.getNanosToWaitForRefill()));
    }

    /**
     * Per user, on routed requests, once Spring Security has established who is calling. A caller
     * without a token takes no user bucket. (Not {@code switchIfEmpty} for the anonymous case: the
     * chain and the refusal both complete empty, so it would run the chain a second time, and after a
     * 429 that second run still proxied the refused request.)
     */
    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return exchange.getPrincipal()
            .map(principal -> Optional.of(take("user:" + principal.getName(), limits.perUser())))
            .defaultIfEmpty(Optional.empty())
            .flatMap(probe -> probe.isEmpty() || probe.get().isConsumed() ? chain.filter(exchange)
                    : problems.tooManyRequests(exchange, Duration.ofNanos(probe.get().getNanosToWaitForRefill())));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    private ConsumptionProbe take(String key, RateLimits.Limit limit) {
        return buckets.get(key, k -> Bucket.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.capacity()).refillGreedy(limit.perPeriod(), limit.period()))
                .build())
            .tryConsumeAndReturnRemaining(1);
    }

    /** The client's address, as {@link ClientAddress} decided it (behind a trusted proxy, the one it forwarded for). */
    private static String clientAddress(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }
}
