package dev.emporium.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
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
            return refuse(exchange, HttpStatus.SERVICE_UNAVAILABLE, "Access tokens cannot be verified right now; try again shortly.");
        }
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return refuse(exchange, HttpStatus.UNAUTHORIZED,
                "A valid access token is required: log in at POST /api/users/login and send it as 'Authorization: Bearer <token>'.");
    }

    Mono<Void> forbidden(ServerWebExchange exchange) {
        return refuse(exchange, HttpStatus.FORBIDDEN, "Your role does not allow this.");
    }

    Mono<Void> tooManyRequests(ServerWebExchange exchange, Duration retryAfter) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        return refuse(exchange, HttpStatus.TOO_MANY_REQUESTS, "Too many requests; slow down and retry after the time in Retry-After.");
    }

    /**
     * A request refused before it is proxied is answered once it has fully arrived (its body read and
     * dropped). Answered earlier, with no session lookup in between, the keep-alive connection could
     * hang for the next request on it (KeepAliveAfterRefusalTests). Not for a problem after a proxied
     * request failed: its body has been read by then and cannot be read twice; that uses {@link #write}.
     */
    private Mono<Void> refuse(ServerWebExchange exchange, HttpStatusCode status, String detail) {
        return exchange.getRequest().getBody().doOnNext(DataBufferUtils::release).then(Mono.defer(() -> write(exchange, status, detail)));
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
