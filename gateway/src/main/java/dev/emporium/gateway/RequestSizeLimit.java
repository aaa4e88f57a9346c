package dev.emporium.gateway;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
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
import reactor.core.publisher.Sinks;

/**
 * Request bodies up to {@code emporium.gateway.max-body-size} (64 KiB by default; the JSON APIs need a
 * few). A larger {@code Content-Length} is answered 413 before any of it reaches a service; a body without
 * a length (chunked) is counted as it streams and answered 413 once it passes the limit, and the
 * connection is closed after the answer.
 * <p>
 * The rest of an oversized body, up to {@value #DRAIN_LIMIT} bytes, is read and dropped before the 413 goes
 * out: a server that closes a connection with unread bytes in its socket makes the kernel reset it, and a
 * client still sending then loses the answer it was sent ("connection reset" instead of a 413). Larger
 * bodies, and bodies the client holds back behind {@code Expect: 100-continue}, are answered at once. A URI longer than
 * {@value #MAX_URI_LENGTH} characters is refused with 414. The services have limits of their own behind
 * this one. (Reactor Netty reads request lines up to {@code server.netty.max-initial-line-length}, set
 * well above that, and answers a longer one itself, without a body.)
 */
@Component
class RequestSizeLimit implements WebFilter, Ordered {

    static final int ORDER = ClientAddress.ORDER + 1;

    /** Longer than any URI the APIs need (ids, a search, a sort, a page). */
    static final int MAX_URI_LENGTH = 4096;

    /** How much of an oversized body is read and dropped so that the client reads the 413 (see above). */
    static final long DRAIN_LIMIT = 1024 * 1024;

    /** A client that stops sending half-way through an oversized body gets its 413 after this long. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

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
            boolean sent = !exchange.getRequest().getHeaders().containsHeaderValue(HttpHeaders.EXPECT, "100-continue");
            return sent && length - maxBytes <= DRAIN_LIMIT
                ? ReadEveryRequestToItsEnd.readToItsEnd(exchange.getRequest())
                    .timeout(DRAIN_TIMEOUT).onErrorComplete().then(tooLarge(exchange))
                : tooLarge(exchange);
        }
        if (length >= 0) {
            return chain.filter(exchange);
        }
        Sinks.Empty<Void> drained = Sinks.empty();
        ServerHttpRequestDecorator counted = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> countedBody(super.getBody(), drained));
            }
        };
        return chain.filter(exchange.mutate().request(counted).build())
            .onErrorResume(BodyTooLargeException.class, tooLarge -> drained.asMono().then(tooLarge(exchange)));
    }

    /**
     * The body as the service gets it: the client's chunks while they stay within the limit, then an error that
     * ends the call to the service. The client's body is read on to its end (or the drain limit, or a stall)
     * apart from what the service reads, so that the 413 reaches a client still sending; {@code drained} says
     * when it has.
     */
    private Flux<DataBuffer> countedBody(Flux<DataBuffer> client, Sinks.Empty<Void> drained) {
        Sinks.Many<DataBuffer> toService = Sinks.many().unicast().onBackpressureBuffer();
        long[] seen = { 0 };
        client
            .doOnNext(buffer -> seen[0] += buffer.readableByteCount())
            // Over the limit, a client that stops sending gets its answer after the drain timeout.
            .timeout(Mono.never(), buffer -> seen[0] > maxBytes ? Mono.delay(DRAIN_TIMEOUT) : Mono.never())
            .takeUntil(buffer -> seen[0] > maxBytes + DRAIN_LIMIT)
            .subscribe(buffer -> {
                if (seen[0] > maxBytes) {
                    DataBufferUtils.release(buffer);
                    toService.tryEmitError(new BodyTooLargeException());
                }
                else if (toService.tryEmitNext(buffer).isFailure()) {
                    DataBufferUtils.release(buffer);
                }
            }, failed -> {
                toService.tryEmitError(seen[0] > maxBytes ? new BodyTooLargeException() : failed);
                drained.tryEmitEmpty();
            }, () -> {
                toService.tryEmitComplete();
                drained.tryEmitEmpty();
            });
        return toService.asFlux();
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
