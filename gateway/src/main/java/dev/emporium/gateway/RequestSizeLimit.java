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
 * counted as it streams and cut off with 413 once it passes the limit. The services have limits of
 * their own behind this one.
 */
@Component
class RequestSizeLimit implements WebFilter, Ordered {

    static final int ORDER = ClientAddress.ORDER + 1;

    private final long maxBytes;
    private final Problems problems;

    RequestSizeLimit(@Value("${emporium.gateway.max-body-size:64KB}") DataSize maxBodySize, Problems problems) {
        this.maxBytes = maxBodySize.toBytes();
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
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
