package dev.emporium.gateway;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Request bodies up to {@code emporium.gateway.max-body-size} (64 KiB by default; the JSON APIs need a
 * few). A larger {@code Content-Length} is answered 413 at once, before any of the body is read, and
 * the connection is closed so the rest is never read either; a body without a length (chunked) is
 * counted as it streams and cut off with 413 once it passes the limit. A URI longer than
 * {@value #MAX_URI_LENGTH} characters is refused with 414. The services have limits of their own behind
 * this one. (Reactor Netty reads request lines up to {@code server.netty.max-initial-line-length}, set
 * well above that, and answers a longer one itself, without a body.)
 */
@Component
class RequestSizeLimit implements WebFilter, Ordered {

    static final int ORDER = ClientAddress.ORDER + 1;

    /** Longer than any URI the APIs need (ids, a search, a sort, a page). */
    static final int MAX_URI_LENGTH = 4096;

    private final long maxBytes;
    private final Problems problems;

    RequestSizeLimit(@Value("${emporium.gateway.max-body-size:64KB}") DataSize maxBodySize, Problems problems) {
        this.maxBytes = maxBodySize.toBytes();
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getURI().getRawPath().length() + String.valueOf(exchange.getRequest().getURI().getRawQuery()).length()
                > MAX_URI_LENGTH) {
            exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
            return problems.write(exchange, HttpStatus.URI_TOO_LONG, "The request's URI is longer than this API accepts ("
                    + MAX_URI_LENGTH + " characters at most); nothing was done.");
        }
        long length = exchange.getRequest().getHeaders().getContentLength();
        if (length > maxBytes) {
            return tooLarge(exchange);
        }
        if (length >= 0) {
            return chain.filter(exchange);
        }
        ServerHttpRequestDecorator counted = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                long[] seen = { 0 };
                return super.getBody().handle((buffer, sink) -> {
                    seen[0] += buffer.readableByteCount();
                    if (seen[0] > maxBytes) {
                        org.springframework.core.io.buffer.DataBufferUtils.release(buffer);
                        sink.error(new BodyTooLargeException());
                    }
                    else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build())
            .onErrorResume(BodyTooLargeException.class, tooLarge -> tooLarge(exchange));
    }

    private Mono<Void> tooLarge(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
        return problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, "The request body is larger than this API accepts ("
                + maxBytes / 1024 + " KiB at most); nothing was done.");
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /** A streamed body passed the limit. */
    static final class BodyTooLargeException extends RuntimeException {

        BodyTooLargeException() {
            super("request body over the limit", null, false, false);
        }
    }
}
