package dev.emporium.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Writes the gateway's own errors as RFC 9457 problem details, like every service does. */
@Component
class Problems {

    private static final JsonMapper json = JsonMapper.builder().build();

    Mono<Void> unauthenticated(ServerWebExchange exchange, boolean keysUnreachable) {
        if (keysUnreachable) {
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
            return answer(exchange, HttpStatus.SERVICE_UNAVAILABLE, "Access tokens cannot be verified right now; try again shortly.");
        }
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return answer(exchange, HttpStatus.UNAUTHORIZED,
                "A valid access token is required: log in at POST /api/users/login and send it as 'Authorization: Bearer <token>'.");
    }

    Mono<Void> forbidden(ServerWebExchange exchange) {
        return answer(exchange, HttpStatus.FORBIDDEN, "Your role does not allow this.");
    }

    Mono<Void> tooManyRequests(ServerWebExchange exchange, Duration retryAfter) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        return answer(exchange, HttpStatus.TOO_MANY_REQUESTS, "Too many requests; slow down and retry after the time in Retry-After.");
    }

    /**
     * A problem answered once its request has fully arrived (the body read and dropped). Reactor Netty
     * can stop reading a keep-alive connection when an answer completes before its request has
     * (compare reactor-netty#4361): the next request on that connection then waits for an answer that never
     * comes, and nothing is logged (KeepAliveTests). The refusals, the 404 of a path nothing
     * serves and every other problem the gateway writes itself go through here. A request that was
     * proxied has had its body read already; reading it again fails at once, and the problem is written.
     */
    Mono<Void> answer(ServerWebExchange exchange, HttpStatusCode status, String detail) {
        return ReadEveryRequestToItsEnd.readToItsEnd(exchange.getRequest()).onErrorComplete()
            .then(Mono.defer(() -> write(exchange, status, detail)));
    }

    Mono<Void> write(ServerWebExchange exchange, HttpStatusCode status, String detail) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        // RFC 9457's members only, as the services write them (no null "type" or "properties")
        java.util.Map<String, Object> members = new java.util.LinkedHashMap<>();
        members.put("type", problem.getType() == null ? "about:blank" : problem.getType().toString());
        members.put("title", problem.getTitle());
        members.put("status", problem.getStatus());
        members.put("detail", problem.getDetail());
        members.put("instance", URI.create(exchange.getRequest().getPath().value()).toString());
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        DataBuffer body = response.bufferFactory().wrap(json.writeValueAsString(members).getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(body));
    }
}
