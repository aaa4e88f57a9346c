package dev.emporium.gateway;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.retry.Backoff;
import reactor.retry.Jitter;
import reactor.retry.Repeat;
import reactor.retry.Retry;

/**
 * Retries a routed request on another instance, where that cannot do a thing twice:
 * <ul>
 * <li>a request that never reached a service (the connection was refused, no instance was listed):
 * any method, since the service did nothing;</li>
 * <li>a read ({@code GET}, {@code HEAD}, {@code OPTIONS}), a write that carries an
 * {@code Idempotency-Key} (the service answers its repetition with the first answer), or a write that
 * is repeatable by its nature ({@code emporium.gateway.retry.repeatable-writes}: a login creates
 * nothing, cancelling an order twice cancels it once, setting a credit limit twice sets it once), when
 * the connection broke before the answer or the answer was 502, 503 or 504 without {@code Retry-After}.</li>
 * </ul>
 * A 503 with {@code Retry-After} is a service shedding load on purpose (order admission, a busy
 * password hasher, its database away): it goes to the caller as it is, so that shedding stays cheap.
 * Any other write is never sent twice: the caller gets the failure and decides. Attempts are bounded
 * ({@code emporium.gateway.retry.retries}) and spread out by exponential backoff with jitter, so that a
 * burst of failures does not come back as a synchronized burst of retries. Each attempt goes through
 * the load balancer again ({@code RouteToRequestUrlFilter} puts the route's {@code lb://} address
 * back), which picks again: round robin the next instance, the least-loaded balancer one that has not
 * just failed ({@link LeastLoadedLoadBalancer}).
 * <p>
 * Spring Cloud Gateway's own {@link RetryGatewayFilterFactory} does the work (it resets the exchange
 * between attempts and replays a cached request body); this class decides which failures are
 * safe to repeat, which the stock filter can only say per method, and keeps only the bodies of writes
 * that can be repeated. Applied to every route as a default
 * filter ({@code SafeRetry} in application.yml).
 */
@Component
class SafeRetryGatewayFilterFactory extends RetryGatewayFilterFactory {

    private static final Logger log = LoggerFactory.getLogger(SafeRetryGatewayFilterFactory.class);

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final Set<HttpStatus> WORTH_ANOTHER_INSTANCE = Set.of(HttpStatus.BAD_GATEWAY, HttpStatus.SERVICE_UNAVAILABLE,
            HttpStatus.GATEWAY_TIMEOUT);

    private final Settings settings;

    private final List<PathPattern> repeatableWrites;

    SafeRetryGatewayFilterFactory(Settings settings) {
        this.settings = settings;
        this.repeatableWrites = settings.repeatableWrites().stream().map(PathPatternParser.defaultInstance::parse).toList();
    }

    @Override
    public String name() {
        return "SafeRetry";
    }

    @Override
    public GatewayFilter apply(RetryConfig config) {
        Backoff backoff = Backoff.exponential(settings.firstBackoff(), settings.maxBackoff(), 2, true);
        Jitter jitter = Jitter.random(0.5);
        Repeat<ServerWebExchange> onStatus = Repeat.<ServerWebExchange>onlyIf(context -> {
            ServerWebExchange exchange = context.applicationContext();
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            boolean again = !exhausted(exchange) && status != null && WORTH_ANOTHER_INSTANCE.contains(HttpStatus.resolve(status.value()))
                    && !exchange.getResponse().getHeaders().containsHeader(HttpHeaders.RETRY_AFTER) && repeatable(exchange.getRequest());
            if (again) {
                log.info("{} {} answered {}; trying another instance", exchange.getRequest().getMethod(),
                        exchange.getRequest().getPath(), status.value());
            }
            return again;
        }).doOnRepeat(context -> reset(context.applicationContext())).backoff(backoff).jitter(jitter);
        Retry<ServerWebExchange> onFailure = Retry.<ServerWebExchange>onlyIf(context -> {
            ServerWebExchange exchange = context.applicationContext();
            boolean again = !exhausted(exchange) && (neverReachedAService(context.exception()) || repeatable(exchange.getRequest()));
            if (again) {
                log.info("{} {} failed ({}); trying another instance", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                        context.exception().toString());
            }
            return again;
        }).doOnRetry(context -> reset(context.applicationContext())).retryMax(settings.retries()).backoff(backoff).jitter(jitter);
        // No route id: the stock filter would then have every request body of the route read and cached
        // before routing. Only a repeatable write can be sent again, so only its body is kept.
        GatewayFilter retrying = apply(null, onStatus, onFailure);
        return (exchange, chain) -> !READS.contains(exchange.getRequest().getMethod()) && repeatable(exchange.getRequest())
                ? ServerWebExchangeUtils.cacheRequestBody(exchange,
                        cached -> retrying.filter(exchange.mutate().request(cached).build(), chain))
                : retrying.filter(exchange, chain);
    }

    private boolean exhausted(ServerWebExchange exchange) {
        Integer iteration = exchange.getAttribute(RETRY_ITERATION_KEY);
        return iteration != null && iteration >= settings.retries();
    }

    /** A read, a write the service recognizes when it comes again, or one that does the same however often it is sent. */
    boolean repeatable(ServerHttpRequest request) {
        return READS.contains(request.getMethod()) || request.getHeaders().containsHeader(IDEMPOTENCY_KEY)
                || request.getMethod() == HttpMethod.POST
                        && repeatableWrites.stream().anyMatch(pattern -> pattern.matches(request.getPath().pathWithinApplication()));
    }

    /** Failures before any byte went to a service: nothing happened there, whatever the method. */
    static boolean neverReachedAService(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException || cause instanceof UnknownHostException
                    || cause instanceof NotFoundException) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param retries attempts after the first, at most
     * @param firstBackoff the pause before the first retry; each next one doubles, up to maxBackoff (plus or minus half, at random)
     * @param repeatableWrites paths whose POST does the same however often it is sent (Spring path patterns)
     */
    @ConfigurationProperties("emporium.gateway.retry")
    record Settings(int retries, Duration firstBackoff, Duration maxBackoff, List<String> repeatableWrites) {

        Settings {
            repeatableWrites = repeatableWrites == null ? List.of() : List.copyOf(repeatableWrites);
        }
    }
}
