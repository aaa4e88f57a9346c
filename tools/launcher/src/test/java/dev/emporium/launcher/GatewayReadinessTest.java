package dev.emporium.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A stand-in gateway whose orders' route comes up late, as it does when the gateway starts slowly. */
class GatewayReadinessTest {

    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger ordersAsked = new AtomicInteger();
    private volatile int ordersUnroutedFor = 20;
    private volatile String tokenIssued = "token-1";
    private HttpServer gateway;
    private GatewayReadiness readiness;

    @BeforeEach
    void startGateway() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        gateway.createContext("/.well-known/jwks.json", exchange -> answer(exchange, 200, "{\"keys\":[]}"));
        gateway.createContext("/api/products", exchange -> answer(exchange, 200, "{\"content\":[]}"));
        gateway.createContext("/api/users/login", exchange -> {
            logins.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!body.equals("{\"email\":\"admin@emporium.local\",\"password\":\"pass\\\"word\"}")) {
                answer(exchange, 400, "{\"title\":\"Bad Request\"}");
                return;
            }
            answer(exchange, 200, "{\"accessToken\": \"" + tokenIssued + "\",\"expiresIn\":900}");
        });
        gateway.createContext("/api/orders", exchange -> {
            if (ordersAsked.incrementAndGet() <= ordersUnroutedFor) {
                answer(exchange, 503, "{\"title\":\"Service Unavailable\"}");
            } else if (!("Bearer " + tokenIssued).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"title\":\"Unauthorized\"}");
            } else {
                answer(exchange, 200, "{\"content\":[]}");
            }
        });
        gateway.start();
        readiness = new GatewayReadiness("http://localhost:" + gateway.getAddress().getPort(), "admin@emporium.local", "pass\"word");
    }

    @AfterEach
    void stopGateway() {
        gateway.stop(0);
    }

    @Test
    void logsInOnceWhileTheOrdersRouteIsStillComingUp() {
        for (int poll = 0; poll < 20; poll++) {
            assertThat(readiness.routesToAll()).as("poll %d, before the orders' route is up", poll).isFalse();
        }
        assertThat(readiness.routesToAll()).isTrue();
        assertThat(logins).as("logins spent from the gateway's ten a minute per address").hasValue(1);
    }

    @Test
    void logsInAgainWhenTheTokenItKeptIsRefused() {
        ordersUnroutedFor = 1;
        assertThat(readiness.routesToAll()).isFalse();
        tokenIssued = "token-2";
        assertThat(readiness.routesToAll()).as("the kept token is refused").isFalse();
        assertThat(readiness.routesToAll()).as("with a fresh token").isTrue();
        assertThat(logins).hasValue(2);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
