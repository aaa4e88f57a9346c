package dev.emporium.gateway;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A request without a body (a GET, most of the traffic) is taken in to its end before it is handled.
 * Reactor Netty can stop reading a keep-alive connection when an answer is complete before its
 * request is (compare reactor-netty#4361): an answer from memory (a storefront file, the Swagger UI's
 * configuration, the 404 of a path nothing serves) can be, and the next request on the connection
 * then waits for an answer that never comes, with nothing logged ({@code KeepAliveTests}). A request
 * with a body is read by the service it is proxied to, or, when the gateway answers it itself, by
 * {@link Problems#answer} before the answer.
 */
@Component
class ReadEveryRequestToItsEnd implements WebFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (request.getHeaders().containsHeader(HttpHeaders.TRANSFER_ENCODING) || request.getHeaders().getContentLength() > 0) {
            return chain.filter(exchange);
        }
        ServerHttpRequest arrived = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.empty();
            }
        };
        return readToItsEnd(request).then(Mono.defer(() -> chain.filter(exchange.mutate().request(arrived).build())));
    }

    /** Completes once the request's body has arrived, every byte of it dropped. */
    static Mono<Void> readToItsEnd(ServerHttpRequest request) {
        return request.getBody().doOnNext(DataBufferUtils::release).then();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
