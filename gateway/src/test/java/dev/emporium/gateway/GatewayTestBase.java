package dev.emporium.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;
import reactor.core.publisher.Mono;

import dev.emporium.testsupport.TestTokens;

/**
 * A gateway in front of stand-in services. Spring Cloud's simple discovery client replaces Eureka
 * and lists inventory-service and order-service; user-service has no instance, on purpose. The
 * tokens come from {@link TestTokens}, whose JWKS stands in for user-service's. The launcher's
 * integration test covers the same gateway in front of the real services and a real Eureka.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "eureka.client.enabled=false")
@Import(GatewayTestBase.Recorders.class)
abstract class GatewayTestBase {

    /** How many requests each stand-in service has received. */
    private static final Map<String, AtomicInteger> RECEIVED = new ConcurrentHashMap<>();

    static final HttpServer inventoryService = backend("inventory-service");
    static final HttpServer orderService = backend("order-service");

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.discovery.client.simple.instances.inventory-service[0].uri",
                () -> "http://localhost:" + inventoryService.getAddress().getPort());
        registry.add("spring.cloud.discovery.client.simple.instances.order-service[0].uri",
                () -> "http://localhost:" + orderService.getAddress().getPort());
        registry.add("emporium.security.jwt.jwk-set-uri", TestTokens::jwkSetUri);
    }

    @Autowired
    ObservationsStarted observations;

    @Autowired
    SessionsAsked sessions;

    WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    /** The status of {@code GET /api/orders} with this bearer token. */
    int ordersStatus(String token) {
        List<Integer> status = new ArrayList<>();
        http().get().uri("/api/orders").headers(headers -> headers.setBearerAuth(token)).exchange().expectStatus().value(status::add);
        return status.getFirst();
    }

    static int received(String service) {
        return RECEIVED.get(service).get();
    }

    static String customer() {
        return TestTokens.customer(UUID.randomUUID());
    }

    /**
     * A stand-in for a service: answers every request with its name, the path it received,
     * whether an Authorization header reached it, and the client address the gateway passed on.
     */
    private static HttpServer backend(String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            AtomicInteger received = RECEIVED.computeIfAbsent(name, n -> new AtomicInteger());
            server.createContext("/", exchange -> {
                received.incrementAndGet();
                boolean token = exchange.getRequestHeaders().containsKey("Authorization");
                String client = exchange.getRequestHeaders().getFirst("X-Client-Address");
                byte[] body = (name + " " + exchange.getRequestURI().getPath() + (token ? " with token" : "")
                        + (client != null ? " for " + client : "")).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The name of every observation started (each would be a span, a timer or both). */
    static final class ObservationsStarted implements ObservationHandler<Observation.Context> {

        private final Queue<String> names = new ConcurrentLinkedQueue<>();

        @Override
        public void onStart(Observation.Context context) {
            names.add(context.getName());
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        List<String> names() {
            return List.copyOf(names);
        }
    }

    /** Spring's own session manager, counting how often a request actually asks for its session. */
    static final class SessionsAsked implements WebSessionManager {

        private final DefaultWebSessionManager sessions = new DefaultWebSessionManager();
        private final AtomicInteger asked = new AtomicInteger();

        @Override
        public Mono<WebSession> getSession(ServerWebExchange exchange) {
            return Mono.defer(() -> {
                asked.incrementAndGet();
                return sessions.getSession(exchange);
            });
        }

        int asked() {
            return asked.get();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Recorders {

        @Bean
        ObservationsStarted observationsStarted() {
            return new ObservationsStarted();
        }

        @Bean(WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME)
        SessionsAsked webSessionManager() {
            return new SessionsAsked();
        }
    }
}
