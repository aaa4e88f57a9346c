package dev.emporium.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The gateway's own failures (no route, no instance of a service, a service that does not answer)
 * as problem details. Answers from the services pass through untouched.
 */
@Component
@Order(-2)
class ProblemErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);

    private final Problems problems;

    ProblemErrorHandler(Problems problems) {
        this.problems = problems;
    }

    /** Connection refused, reset or closed before an answer: the instance is gone, not the request wrong. */
    static boolean isUnreachable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.net.ConnectException || cause instanceof java.net.NoRouteToHostException
                    || cause instanceof java.nio.channels.ClosedChannelException
                    || cause instanceof reactor.netty.http.client.PrematureCloseException
                    || cause instanceof io.netty.channel.ConnectTimeoutException
                    || (cause instanceof java.io.IOException io && io.getMessage() != null
                            && io.getMessage().contains("Connection reset"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The caller's own connection closed before the answer was sent: its client gave up waiting (a
     * timeout) or went away. Reactor Netty reports that as an {@link reactor.netty.channel.AbortedException}
     * (a closed upstream is a {@link reactor.netty.http.client.PrematureCloseException} instead).
     */
    static boolean isClientGone(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof reactor.netty.channel.AbortedException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (isClientGone(error)) {
            // Not a fault of the gateway or of the service, and there is no one left to answer. Under
            // load many of these mean callers time out: look at the latency, not at this line.
            log.info("The client of {} {} closed its connection before the answer was sent (it stopped waiting or went away);"
                    + " whatever the request did stands, and a retry with the same Idempotency-Key gets the same answer",
                    exchange.getRequest().getMethod(), exchange.getRequest().getPath());
            return Mono.empty();
        }
        if (exchange.getResponse().isCommitted()) {
            // The status line is out: a problem document can no longer be sent, only the connection closed.
            log.warn("The answer to {} {} broke off after its status ({}) was sent: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), exchange.getResponse().getStatusCode(), error.toString());
            return Mono.error(error);
        }
        if (error instanceof ResponseStatusException status) {
            HttpStatusCode code = status.getStatusCode();
            String detail = switch (code.value()) {
                case 404 -> "No such resource: " + exchange.getRequest().getPath().value();
                case 503 -> "The service behind " + exchange.getRequest().getPath().value()
                        + " has no running instance right now; try again shortly.";
                case 504 -> "The service behind " + exchange.getRequest().getPath().value() + " did not answer in time.";
                default -> status.getReason() == null ? HttpStatus.valueOf(code.value()).getReasonPhrase() : status.getReason();
            };
            if (code.value() == 503) {
                exchange.getResponse().getHeaders().set("Retry-After", "5");
            }
            return problems.answer(exchange, code, detail);
        }
        if (isUnreachable(error)) {
            // An instance Eureka still lists has just died or closed the connection: the client should come back shortly.
            log.warn("The service behind {} {} is unreachable ({}); answered 503", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), error.toString());
            exchange.getResponse().getHeaders().set("Retry-After", "2");
            return problems.answer(exchange, HttpStatus.SERVICE_UNAVAILABLE, "The service behind " + exchange.getRequest().getPath().value()
                    + " cannot be reached right now; try again shortly (with the same Idempotency-Key, where the request has one).");
        }
        log.error("Unexpected error at the gateway for {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), error);
        return problems.answer(exchange, HttpStatus.BAD_GATEWAY, "The gateway could not complete this request.");
    }
}
